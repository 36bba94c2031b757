using Microsoft.Extensions.Configuration;
using SurgiCase.AppHost.LocalAws;
using SurgiCase.AppHost.LocalPostgres;

var builder = DistributedApplication.CreateBuilder(args);

if (!MotoInstallation.IsOnPath())
{
    Console.Error.WriteLine(MotoInstallation.MissingMessage);
    return 1;
}

// Keys between services. Generated once per machine and kept in the AppHost's user secrets.
var adminApiKey = builder.AddGeneratedSecret("admin-api-key")
    .WithDescription("Key operators send as X-Api-Key to the admin endpoints (dotnet user-secrets list --project SurgiCase.AppHost).");
var notificationSecretsKey = builder.AddGeneratedSecret("notification-secrets-api-key");
var schedulerSecretsKey = builder.AddGeneratedSecret("scheduler-secrets-api-key");
var surgiCaseApiKey = builder.AddGeneratedSecret("surgicase-api-key");

// The simulator checks the key the report jobs read from the surgicase/api secret through SecretsService.
// Its endpoint is not behind the orchestrator's proxy, so stopping it in the dashboard makes the port
// refuse connections, as a dead API server does (the proxy would accept them and hold them open).
var apiSimulator = builder.AddProject<Projects.SurgiCase_ApiSimulator>("api-simulator")
    .WithEndpoint("http", endpoint => endpoint.IsProxied = false)
    .WithEnvironment("Simulator__RequiredApiKey", surgiCaseApiKey)
    .WithHttpHealthCheck("/health");

// The simulator also stands in for Slack, so the seeded surgicase/slack webhook points at it.
var localAws = builder.AddLocalAws("local-aws", surgiCaseApiKey, slackStandIn: apiSimulator);
var awsFaultProxy = builder.AddLocalAwsFaultProxy("aws-fault-proxy", localAws);

var secretsService = builder.AddProject<Projects.SurgiCase_SecretsService>("secrets-service")
    .WithLocalAws(awsFaultProxy)
    .WithEnvironment("Authentication__ApiKeys__notification-service", notificationSecretsKey)
    .WithEnvironment("Authentication__ApiKeys__scheduler-service", schedulerSecretsKey)
    .WithEnvironment("Authentication__ApiKeys__operator", adminApiKey)
    .WithHttpHealthCheck("/health");

var notificationService = builder.AddProject<Projects.SurgiCase_NotificationService>("notification-service")
    .WithLocalAws(awsFaultProxy)
    .WithReference(secretsService).WaitFor(secretsService)
    .WithEnvironment("SecretsClient__ApiKey", notificationSecretsKey)
    // When SES cannot deliver, alerts go to the Slack webhook held in the surgicase/slack secret.
    .WithEnvironment("Notifications__Webhook__SecretName", "surgicase/slack")
    .WithEnvironment("Authentication__ApiKeys__operator", adminApiKey)
    .WithHttpHealthCheck("/health");

var schedulerService = builder.AddProject<Projects.SurgiCase_SchedulerService>("scheduler-service")
    .WithLocalAws(awsFaultProxy)
    .WithReference(secretsService).WaitFor(secretsService)
    .WithReference(apiSimulator).WaitFor(apiSimulator)
    .WithEnvironment("SecretsClient__ApiKey", schedulerSecretsKey)
    .WithEnvironment("Authentication__ApiKeys__operator", adminApiKey)
    // The operations page reads the alerts from NotificationService server-side, as the operator
    // (a reference without WaitFor: the page still renders, saying so, while NotificationService is down).
    .WithReference(notificationService)
    .WithEnvironment("Operations__NotificationsApiKey", adminApiKey)
    .WithHttpHealthCheck("/health");

notificationService.WithEnvironment("Notifications__OperationsPageUrl", schedulerService.GetEndpoint("http"));

// Cluster mode (dotnet run --project SurgiCase.AppHost -- --Cluster=true): two scheduler and two
// notification replicas share a local PostgreSQL, so a cluster job fires once and an alert is sent once.
if (builder.Configuration.GetValue<bool>("Cluster"))
{
    var postgres = builder.AddLocalPostgres("postgres");
    schedulerService.WithReplicas(2)
        .WithEnvironment("ConnectionStrings__Scheduler", postgres.ConnectionString())
        .WaitFor(postgres);
    notificationService.WithReplicas(2)
        .WithEnvironment("ConnectionStrings__Notifications", postgres.ConnectionString())
        .WaitFor(postgres);
}

builder.Build().Run();
return 0;
