using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using SurgiCase.AppHost.CloudAws;

namespace SurgiCase.AppHost.Tests;

/// <summary>
/// <c>--Aws:Mode=Cloud</c> builds an application model for real AWS: no moto, no fault proxy, every service with the
/// region and profile and nothing of the local AWS. The model is built, never started, and AWS is never called.
/// </summary>
public sealed class CloudModeTests
{
    private static readonly string[] CloudArgs =
        ["--Aws:Mode=Cloud", "--Aws:Environment=staging", "--Aws:Region=eu-west-1", "--Aws:Profile=surgicase-staging", "--Notifications:Sender=alerts@example.com"];

    private static readonly string[] Services = ["secrets-service", "notification-service", "scheduler-service"];

    [Fact]
    public async Task Cloud_mode_has_no_local_aws_and_points_every_service_at_the_real_region_and_profile()
    {
        await using var app = await BuildAsync([.. CloudArgs, "--Aws:Ses:ConfigurationSetName=my-own-set"]);
        var model = app.Services.GetRequiredService<DistributedApplicationModel>();

        Assert.DoesNotContain(model.Resources, r => r.Name is "local-aws" or "aws-fault-proxy");
        Assert.DoesNotContain(model.Resources.OfType<ExecutableResource>(), r => r.Command.Contains("moto", StringComparison.Ordinal));
        foreach (var name in Services)
        {
            var environment = await EnvironmentOf(model, name);
            Assert.Equal("eu-west-1", environment["Aws__Region"]);
            Assert.Equal("surgicase-staging", environment["AWS_PROFILE"]);
            Assert.DoesNotContain("Aws__ServiceUrl", environment.Keys);
            Assert.DoesNotContain("AWS_ACCESS_KEY_ID", environment.Keys);
            Assert.DoesNotContain("AWS_SECRET_ACCESS_KEY", environment.Keys);
        }

        var notifications = await EnvironmentOf(model, "notification-service");
        Assert.Equal("alerts@example.com", notifications["Notifications__Sender"]);
        Assert.Equal("my-own-set", notifications["Aws__Ses__ConfigurationSetName"]);
    }

    [Fact]
    public async Task Cloud_mode_gives_every_service_the_environments_names_as_the_stack_creates_them()
    {
        // The names deploy/SurgiCase.Deploy gives environment "staging" (its EnvironmentTests check them there).
        await using var app = await BuildAsync(CloudArgs);
        var model = app.Services.GetRequiredService<DistributedApplicationModel>();

        foreach (var name in Services)
        {
            var environment = await EnvironmentOf(model, name);
            Assert.Equal("surgicase-staging-job-events", environment["Messaging__QueueName"]);
        }

        var notifications = await EnvironmentOf(model, "notification-service");
        Assert.Equal("surgicase-staging-job-events-dlq", notifications["Messaging__DeadLetterQueueName"]);
        Assert.Equal("surgicase-staging-alerts", notifications["Aws__Ses__ConfigurationSetName"]);
        Assert.Equal("surgicase/staging/slack", notifications["Notifications__Webhook__SecretName"]);
        Assert.Equal("surgicase/staging/main", notifications["Notifications__RecipientsSecretName"]);
        Assert.Equal("surgicase/staging/api", (await EnvironmentOf(model, "scheduler-service"))["SurgiCaseApi__ApiKeySecretName"]);

        // SecretsService warms and hands out the nine staging secrets, and no unqualified name is left in its lists.
        var secrets = await EnvironmentOf(model, "secrets-service");
        var warmed = secrets.Where(e => e.Key.StartsWith("Secrets__SecretNames__", StringComparison.Ordinal)).Select(e => e.Value).Order().ToList();
        Assert.Equal(
            ["surgicase/staging/api", "surgicase/staging/backup", "surgicase/staging/database", "surgicase/staging/email", "surgicase/staging/main",
             "surgicase/staging/npi-registry", "surgicase/staging/payments", "surgicase/staging/s3-reports", "surgicase/staging/slack"],
            warmed);
        Assert.Equal("surgicase/staging/api", secrets["Secrets__Callers__scheduler-service__AllowedSecrets__0"]);
        // NotificationService reads its recipients and the Slack webhook, never the SMTP login (issue 18.6).
        Assert.Equal(
            ["surgicase/staging/main", "surgicase/staging/slack"],
            secrets.Where(e => e.Key.StartsWith("Secrets__Callers__notification-service__AllowedSecrets__", StringComparison.Ordinal)).Select(e => e.Value).Order());
    }

    [Fact]
    public async Task The_local_mode_keeps_the_services_own_names()
    {
        await using var app = await BuildAsync([]);
        var model = app.Services.GetRequiredService<DistributedApplicationModel>();

        var secrets = await EnvironmentOf(model, "secrets-service");
        Assert.DoesNotContain(secrets.Keys, k => k.StartsWith("Secrets__SecretNames__", StringComparison.Ordinal));
        Assert.Equal("surgicase/slack", (await EnvironmentOf(model, "notification-service"))["Notifications__Webhook__SecretName"]);
    }

    [Fact]
    public async Task Without_an_api_address_the_simulator_stands_in_and_accepts_the_real_secrets_key()
    {
        await using var app = await BuildAsync(CloudArgs);
        var model = app.Services.GetRequiredService<DistributedApplicationModel>();

        var simulator = Assert.Single(model.Resources.OfType<ProjectResource>(), r => r.Name == "api-simulator");
        // The jobs read their key from the real surgicase/api secret, which the AppHost does not know.
        Assert.DoesNotContain("Simulator__RequiredApiKey", (await EnvironmentOf(model, "api-simulator")).Keys);
        Assert.Contains("services__api-simulator__http__0", (await EnvironmentOf(model, "scheduler-service")).Keys);
        Assert.NotNull(simulator);
    }

    [Fact]
    public async Task With_an_api_address_there_is_no_simulator_and_the_scheduler_calls_that_address()
    {
        await using var app = await BuildAsync([.. CloudArgs, "--SurgiCaseApi:BaseAddress=https://api.staging.surgicase.example/"]);
        var model = app.Services.GetRequiredService<DistributedApplicationModel>();

        Assert.DoesNotContain(model.Resources, r => r.Name == "api-simulator");
        var scheduler = await EnvironmentOf(model, "scheduler-service");
        Assert.Equal("https://api.staging.surgicase.example/", scheduler["SurgiCaseApi__BaseAddress"]);
        Assert.DoesNotContain(scheduler.Keys, k => k.StartsWith("services__api-simulator", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_local_mode_it_replaces_runs_moto_behind_the_fault_proxy()
    {
        await using var app = await BuildAsync([]);
        var model = app.Services.GetRequiredService<DistributedApplicationModel>();

        Assert.Contains(model.Resources, r => r.Name == "local-aws");
        Assert.Contains(model.Resources, r => r.Name == "aws-fault-proxy");
        var secrets = await EnvironmentOf(model, "secrets-service");
        Assert.Contains("Aws__ServiceUrl", secrets.Keys);
        Assert.DoesNotContain("AWS_PROFILE", secrets.Keys);
    }

    [Theory]
    [InlineData("Aws:Environment", new[] { "--Aws:Mode=Cloud", "--Aws:Region=eu-west-1", "--Notifications:Sender=alerts@example.com" })]
    [InlineData("Aws:Environment", new[] { "--Aws:Mode=Cloud", "--Aws:Environment=staging/x", "--Aws:Region=eu-west-1", "--Notifications:Sender=alerts@example.com" })]
    [InlineData("Aws:Region", new[] { "--Aws:Mode=Cloud", "--Aws:Environment=staging", "--Notifications:Sender=alerts@example.com" })]
    [InlineData("Notifications:Sender", new[] { "--Aws:Mode=Cloud", "--Aws:Environment=staging", "--Aws:Region=eu-west-1" })]
    [InlineData("SurgiCaseApi:BaseAddress", new[] { "--Aws:Mode=Cloud", "--Aws:Environment=staging", "--Aws:Region=eu-west-1", "--Notifications:Sender=a@example.com", "--SurgiCaseApi:BaseAddress=api" })]
    [InlineData("Aws:Mode", new[] { "--Aws:Mode=Clod" })]
    public void A_missing_or_bad_cloud_setting_is_named(string key, string[] args)
    {
        var configuration = new ConfigurationBuilder().AddCommandLine(args).Build();

        // No AWS_REGION, whatever the machine running the test has set.
        var (settings, problem) = CloudAwsSettings.Read(configuration, environmentVariable: _ => null);

        Assert.Null(settings);
        Assert.StartsWith(key, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Aws_region_falls_back_to_the_aws_region_variable()
    {
        var configuration = new ConfigurationBuilder()
            .AddCommandLine(["--Aws:Mode=Cloud", "--Aws:Environment=staging", "--Notifications:Sender=alerts@example.com"]).Build();

        var (settings, problem) = CloudAwsSettings.Read(configuration, name => name == "AWS_REGION" ? "ap-southeast-2" : null);

        Assert.Null(problem);
        Assert.Equal("ap-southeast-2", settings!.Region);
        Assert.Equal("surgicase-staging-alerts", settings.ConfigurationSet);
    }

    [Fact]
    public void Local_is_the_default()
    {
        var (settings, problem) = CloudAwsSettings.Read(new ConfigurationBuilder().Build());

        Assert.Null(settings);
        Assert.Null(problem);
    }

    internal static async Task<DistributedApplication> BuildAsync(string[] args)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        // The model only: no dashboard to stand up for an application that is never started.
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.SurgiCase_AppHost>(
            args, (options, _) => options.DisableDashboard = true, cts.Token);
        return await builder.BuildAsync(cts.Token);
    }

    /// <summary>The environment as the publish manifest states it: parameters and endpoints as expressions, nothing resolved.</summary>
    internal static async Task<Dictionary<string, string>> EnvironmentOf(DistributedApplicationModel model, string name)
    {
        var resource = Assert.Single(model.Resources.OfType<IResourceWithEnvironment>(), r => r.Name == name);
        var configuration = await ExecutionConfigurationBuilder.Create(resource)
            .WithEnvironmentVariablesConfig()
            .BuildAsync(new DistributedApplicationExecutionContext(DistributedApplicationOperation.Publish), NullLogger.Instance, CancellationToken.None);
        Assert.Null(configuration.Exception);
        return configuration.EnvironmentVariables.ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal);
    }
}
