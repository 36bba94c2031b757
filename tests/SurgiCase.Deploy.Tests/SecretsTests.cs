using System.Text.Json;
using System.Text.Json.Nodes;
using SurgiCase.Testing;

namespace SurgiCase.Deploy.Tests;

/// <summary>The secrets exist by name, their values never appear in the template, and services get them as ECS secrets.</summary>
[Collection(StackCollection.Name)]
public sealed class SecretsTests
{
    private static readonly TemplateJson Json = SynthesizedStack.Default.Json;

    [Fact]
    public void The_nine_application_secrets_are_the_ones_the_secrets_service_warms()
    {
        var appsettings = JsonNode.Parse(File.ReadAllText(RepositoryFolder.Path("SurgiCase.SecretsService", "appsettings.json")),
            documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip })!;
        var warmed = appsettings["Secrets"]!["SecretNames"]!.AsArray().Select(n => (string)n!).Order().ToList();

        // The stack names them per environment and tells the service so (Secrets:SecretNames), but the set is the same.
        const string prefix = "surgicase/production/";
        var declared = SecretNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal)).Order().ToList();

        Assert.Equal(9, declared.Count);
        Assert.Equal(warmed.Select(n => prefix + n["surgicase/".Length..]), declared);
        var told = Json.Service("secrets-service").Environment
            .Where(e => e.Key.StartsWith("Secrets__SecretNames__", StringComparison.Ordinal))
            .Select(e => (string)e.Value!).Order();
        Assert.Equal(declared, told);
    }

    [Fact]
    public void No_secret_value_is_in_the_template()
    {
        foreach (var (_, secret) in Json.Resources("AWS::SecretsManager::Secret"))
        {
            Assert.Null(secret["Properties"]!["SecretString"]);
            Assert.NotNull(secret["Properties"]!["GenerateSecretString"]);
        }

        Assert.DoesNotContain(Json.Walk(), n => n.Path.EndsWith(".SecretString", StringComparison.Ordinal));
        var password = TemplateJson.Canonical(Json.Resources("AWS::RDS::DBInstance").Single().Resource["Properties"]!["MasterUserPassword"]);
        Assert.Contains("{{resolve:secretsmanager:", password, StringComparison.Ordinal);
        // A generated template holds a key name, never a value.
        Assert.All(Json.Resources("AWS::SecretsManager::Secret"), s =>
        {
            var template = (string?)s.Resource["Properties"]!["GenerateSecretString"]!["SecretStringTemplate"];
            Assert.True(template is null or "{}" || JsonNode.Parse(template)!.AsObject().All(p => p.Key == "username"), template);
        });
    }

    [Fact]
    public void Service_keys_and_the_database_login_are_outside_what_the_secrets_service_may_read()
    {
        var internalNames = SecretNames().Where(n => !n.StartsWith("surgicase/production/", StringComparison.Ordinal)).ToList();

        // The service keys, two key-encryption keys, the master login and the three services' database logins.
        Assert.Equal(12, internalNames.Count);
        Assert.All(internalNames, n => Assert.StartsWith("surgicase-internal/production/", n, StringComparison.Ordinal));
    }

    [Fact]
    public void Every_injected_secret_is_a_secret_of_this_stack()
    {
        var stackSecrets = Json.Resources("AWS::SecretsManager::Secret").Select(s => s.Id)
            .Concat(Json.Resources("AWS::SecretsManager::SecretTargetAttachment").Select(s => s.Id))
            .ToHashSet(StringComparer.Ordinal);

        var references = Json.Services().SelectMany(s => s.Secrets.Values).ToList();

        Assert.NotEmpty(references);
        Assert.All(references, r =>
        {
            var target = r is JsonObject o && o.ContainsKey("Fn::Join") ? o["Fn::Join"]![1]![0]! : r!;
            Assert.Contains((string)target["Ref"]!, stackSecrets);
        });
    }

    private static IEnumerable<string> SecretNames() =>
        Json.Resources("AWS::SecretsManager::Secret").Select(s => (string)s.Resource["Properties"]!["Name"]!);
}
