using Microsoft.Extensions.DependencyInjection;

namespace SurgiCase.AppHost.LocalAws;

/// <summary>
/// moto_server as the local AWS (SQS, Secrets Manager, SES v2 on one port), with a health check that
/// only turns healthy once the queues, secrets and SES identity exist — so services that wait for it
/// start against a provisioned AWS.
/// </summary>
internal static class LocalAwsResourceExtensions
{
    public const int DefaultPort = 4566;
    public const string Region = "us-east-1";

    /// <summary>moto's account: the ARNs it gives out.</summary>
    public const string AccountId = "123456789012";

    /// <summary>The SES feedback topic (what a configuration set event destination publishes to) and its queue.</summary>
    public const string SesFeedbackTopic = "surgicase-ses-feedback";

    public const string SesFeedbackQueue = "surgicase-ses-feedback";

    public const string SesFeedbackTopicArn = $"arn:aws:sns:{Region}:{AccountId}:{SesFeedbackTopic}";

    public static IResourceBuilder<ExecutableResource> AddLocalAws(
        this IDistributedApplicationBuilder builder,
        string name,
        IResourceBuilder<ParameterResource> surgiCaseApiKey,
        IResourceBuilder<ProjectResource> slackStandIn)
    {
        var moto = builder.AddExecutable(name, MotoInstallation.Command, builder.AppHostDirectory)
            .WithHttpEndpoint(port: DefaultPort, name: "http");
        var endpoint = moto.GetEndpoint("http");
        moto.WithArgs(context =>
        {
            context.Args.Add("-H");
            context.Args.Add("127.0.0.1");
            context.Args.Add("-p");
            context.Args.Add(endpoint.Property(EndpointProperty.TargetPort));
        });

        var healthCheckName = $"{name}-provisioned";
        builder.Services.AddSingleton(sp => new LocalAwsProvisioner(endpoint, surgiCaseApiKey.Resource, slackStandIn.GetEndpoint("http")));
        builder.Services.AddHealthChecks().Add(new Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckRegistration(
            healthCheckName,
            sp => sp.GetRequiredService<LocalAwsProvisioner>(),
            failureStatus: null,
            tags: null));
        return moto.WithHealthCheck(healthCheckName)
            .WithUrlForEndpoint("http", url => url.DisplayText = "moto API");
    }

    /// <summary>
    /// The fault proxy between the services and moto: forwards every AWS call, or answers an AWS-shaped
    /// error on demand (<c>POST /proxy/faults</c>) to replay an outage such as the 2025-10-20 incident. It also plays SES's
    /// mailbox simulator: feedback for mail to bounce@/complaint@/success@simulator.amazonses.com goes to the feedback topic.
    /// </summary>
    public static IResourceBuilder<ProjectResource> AddLocalAwsFaultProxy(
        this IDistributedApplicationBuilder builder, string name, IResourceBuilder<ExecutableResource> localAws) =>
        builder.AddProject<Projects.SurgiCase_LocalAwsProxy>(name)
            .WithEnvironment("LocalAwsProxy__Upstream", localAws.GetEndpoint("http"))
            .WithEnvironment("LocalAwsProxy__SesFeedbackTopicArn", SesFeedbackTopicArn)
            .WaitFor(localAws)
            .WithHttpHealthCheck("/health");

    /// <summary>Points a service at the local AWS (through the fault proxy) and waits until it is provisioned.</summary>
    public static IResourceBuilder<ProjectResource> WithLocalAws(
        this IResourceBuilder<ProjectResource> service, IResourceBuilder<ProjectResource> awsFaultProxy) =>
        service
            .WithEnvironment("Aws__ServiceUrl", awsFaultProxy.GetEndpoint("http"))
            .WithEnvironment("Aws__Region", Region)
            .WithEnvironment("AWS_ACCESS_KEY_ID", "test")
            .WithEnvironment("AWS_SECRET_ACCESS_KEY", "test")
            .WaitFor(awsFaultProxy);

    public static IResourceBuilder<ParameterResource> AddGeneratedSecret(this IDistributedApplicationBuilder builder, string name) =>
        builder.AddParameter(name, new GenerateParameterDefault { MinLength = 32, Special = false }, secret: true, persist: true);
}
