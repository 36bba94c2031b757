using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using SurgiCase.Testing;

namespace SurgiCase.Aws.Tests;

/// <summary>The deployment grants ses:SendEmail on the identity and its configuration set, so the set must be on the wire.</summary>
public sealed class SesConfigurationSetTests
{
    [Fact]
    public async Task SendEmail_names_the_configured_configuration_set()
    {
        var body = await SendAsync(configurationSet: "surgicase-alerts");

        Assert.Equal("surgicase-alerts", (string?)body["ConfigurationSetName"]);
    }

    [Fact]
    public async Task Without_a_configuration_set_the_field_is_left_out()
    {
        var body = await SendAsync(configurationSet: null);

        Assert.False(body.AsObject().ContainsKey("ConfigurationSetName"));
        Assert.Equal("alerts@surgicase.local", (string?)body["FromEmailAddress"]);
    }

    private static async Task<JsonNode> SendAsync(string? configurationSet)
    {
        var aws = AwsFaultPlan.Always(AwsFault.Respond(HttpStatusCode.OK, """{"MessageId":"m-1"}"""));
        var settings = new Dictionary<string, string?>
        {
            ["Aws:Region"] = "us-east-1",
            ["Aws:AccessKeyId"] = "test",
            ["Aws:SecretAccessKey"] = "test",
            ["Aws:Ses:ConfigurationSetName"] = configurationSet,
        };
        using var host = new AwsTestHost(
            serviceUrl: null,
            // Registered after the host's own configuration, so this one is what the options bind from.
            configureServices: s => s.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build()),
            handler: aws.CreateHandler);

        await host.Ses.SendEmailAsync(new EmailMessage("alerts@surgicase.local", ["a@x.local"], "Subj", "<b>h</b>", "t"));

        return JsonNode.Parse(Assert.Single(aws.Requests).Body)!;
    }
}
