using Microsoft.Extensions.Configuration;
using SurgiCase.AppHost.CloudAws;
using SurgiCase.AppHost.LocalIdentity;
using SurgiCase.AppHost.LocalAws;
using SurgiCase.AppHost.LocalPostgres;
using SurgiCase.Storage.Provisioning;

var builder = DistributedApplication.CreateBuilder(args);

// Local AWS (moto behind the fault proxy) by default; --Aws:Mode=Cloud runs against the real account (CloudAws/).
var (cloud, cloudProblem) = CloudAwsSettings.Read(builder.Configuration);
if (cloudProblem is not null)
{
    Console.Error.WriteLine(cloudProblem);
    return 1;
}

if (cloud is null && !MotoInstallation.IsOnPath())
{
    Console.Error.WriteLine(MotoInstallation.MissingMessage);
    return 1;
}

// Keys between services. Generated once per machine and kept in the AppHost's user secrets. Each service has its own
// operator key, so one leaked key opens one service; the operations page reads the other two with a read-only caller.
var adminApiKey = builder.AddGeneratedSecret("admin-api-key")
    .WithDescription("The scheduler's operator key: the operations page's sign-in and X-Api-Key for the scheduler's API (dotnet user-secrets list --project SurgiCase.AppHost).");
var notificationOperatorKey = builder.AddGeneratedSecret("notification-operator-key")
    .WithDescription("X-Api-Key for NotificationService's operator endpoints (POST /notifications/test).");
var secretsOperatorKey = builder.AddGeneratedSecret("secrets-operator-key")
    .WithDescription("X-Api-Key for SecretsService's operator endpoints (POST /secrets/warm).");
var operationsPageKey = builder.AddGeneratedSecret("operations-page-key");
var notificationSecretsKey = builder.AddGeneratedSecret("notification-secrets-api-key");
var schedulerSecretsKey = builder.AddGeneratedSecret("scheduler-secrets-api-key");
// Encrypt the Data Protection keys where they are stored, one key-encryption key per service, each ring in the
// service's own database or schema: NotificationService's protects the acknowledge links (it keeps the key all
// services shared before, so links already sent stay valid), the scheduler's the operations page's cookies and
// antiforgery tokens, SecretsService's its own.
var notificationDataProtectionKey = builder.AddGeneratedSecret("data-protection-key");
var schedulerDataProtectionKey = builder.AddGeneratedSecret("scheduler-data-protection-key");
var secretsDataProtectionKey = builder.AddGeneratedSecret("secrets-data-protection-key");

// The simulator stands in for the SurgiCase API unless cloud mode names the real one. Its endpoint is not behind the
// orchestrator's proxy, so stopping it in the dashboard makes the port refuse connections, as a dead API server does
// (the proxy would accept them and hold them open).
var apiSimulator = cloud?.SurgiCaseApi is null
    ? builder.AddProject<Projects.SurgiCase_ApiSimulator>("api-simulator")
        .WithEndpoint("http", endpoint => endpoint.IsProxied = false)
        .WithHttpHealthCheck("/health")
    : null;

IResourceBuilder<ProjectResource>? awsFaultProxy = null;
if (cloud is null)
{
    // The simulator checks the key the report jobs read from the surgicase/api secret through SecretsService, and
    // stands in for Slack, so the seeded surgicase/slack webhook points at it.
    var surgiCaseApiKey = builder.AddGeneratedSecret("surgicase-api-key");
    var slackStandIn = apiSimulator!.WithEnvironment("Simulator__RequiredApiKey", surgiCaseApiKey);
    var localAws = builder.AddLocalAws("local-aws", surgiCaseApiKey, slackStandIn);
    awsFaultProxy = builder.AddLocalAwsFaultProxy("aws-fault-proxy", localAws);
}

IResourceBuilder<ProjectResource> WithAws(IResourceBuilder<ProjectResource> service) =>
    cloud is null ? service.WithLocalAws(awsFaultProxy!) : service.WithCloudAws(cloud);

var secretsService = WithAws(builder.AddProject<Projects.SurgiCase_SecretsService>("secrets-service"))
    .WithEnvironment("Authentication__ApiKeys__notification-service", notificationSecretsKey)
    .WithEnvironment("Authentication__ApiKeys__scheduler-service", schedulerSecretsKey)
    .WithEnvironment("Authentication__ApiKeys__operator", secretsOperatorKey)
    .WithEnvironment("Authentication__ApiKeys__operations-page", operationsPageKey)
    .WithEnvironment("DataProtection__KeyEncryptionKey", secretsDataProtectionKey)
    .WithHttpHealthCheck("/health");
if (cloud is not null)
{
    secretsService.WithCloudSecrets(cloud);
}

var notificationService = WithAws(builder.AddProject<Projects.SurgiCase_NotificationService>("notification-service"))
    .WithReference(secretsService).WaitFor(secretsService)
    .WithEnvironment("SecretsClient__ApiKey", notificationSecretsKey)
    // When SES cannot deliver, alerts go to the Slack webhook held in the surgicase/slack secret.
    .WithEnvironment("Notifications__Webhook__SecretName", cloud?.Names.Secret("surgicase/slack") ?? "surgicase/slack")
    .WithEnvironment("Authentication__ApiKeys__operator", notificationOperatorKey)
    .WithEnvironment("Authentication__ApiKeys__operations-page", operationsPageKey)
    .WithEnvironment("DataProtection__KeyEncryptionKey", notificationDataProtectionKey)
    .WithHttpHealthCheck("/health");
if (cloud is not null)
{
    notificationService.WithCloudEmail(cloud);
}
else
{
    // SES feedback: the fault proxy plays the mailbox simulator into the feedback topic, whose queue this reads.
    notificationService.WithEnvironment("Notifications__Feedback__QueueName", LocalAwsResourceExtensions.SesFeedbackQueue);
}

var schedulerService = WithAws(builder.AddProject<Projects.SurgiCase_SchedulerService>("scheduler-service"))
    .WithReference(secretsService).WaitFor(secretsService)
    .WithEnvironment("SecretsClient__ApiKey", schedulerSecretsKey)
    .WithEnvironment("Authentication__ApiKeys__operator", adminApiKey)
    .WithEnvironment("DataProtection__KeyEncryptionKey", schedulerDataProtectionKey)
    // The operations page reads the alerts and the secrets cache server-side, as its read-only caller (a reference
    // without WaitFor: the page still renders, saying so, while NotificationService is down).
    .WithReference(notificationService)
    .WithEnvironment("Operations__NotificationsApiKey", operationsPageKey)
    .WithEnvironment("Operations__SecretsApiKey", operationsPageKey)
    .WithHttpHealthCheck("/health");
if (apiSimulator is not null)
{
    schedulerService.WithReference(apiSimulator).WaitFor(apiSimulator);
}
else
{
    schedulerService.WithEnvironment("SurgiCaseApi__BaseAddress", cloud!.SurgiCaseApi!.ToString());
}

if (cloud is not null)
{
    // The report jobs' key for the SurgiCase API (or the simulator, which accepts any) is the environment's.
    schedulerService.WithEnvironment("SurgiCaseApi__ApiKeySecretName", cloud.Names.Secret("surgicase/api"));
}

notificationService.WithEnvironment("Notifications__OperationsPageUrl", schedulerService.GetEndpoint("http"));

// Sign-in to the operations page: a real local OpenID provider (authorization code with PKCE), so a local run signs in
// the way production does. Its people's passwords and the client secret are generated per machine (user secrets) and
// exist only here: the provider refuses to start outside Development.
var identityProvider = builder.AddLocalIdentityProvider("identity-provider", schedulerService);
schedulerService.WithLocalIdentityProvider(identityProvider);

// Cluster mode (dotnet run --project SurgiCase.AppHost -- --Cluster=true): two scheduler and two
// notification replicas share a local PostgreSQL, so a cluster job fires once and an alert is sent once. Each service
// logs in as its own role that owns its own schema; the AppHost creates the roles (as the superuser, through the
// server's socket) before the server counts as ready, so the services, which wait for it, find their logins.
if (builder.Configuration.GetValue<bool>("Cluster"))
{
    var schedulerLogin = new LocalDatabaseLogin(ServiceDatabaseLogin.Scheduler, builder.AddGeneratedSecret("scheduler-database-password"));
    var notificationLogin = new LocalDatabaseLogin(ServiceDatabaseLogin.Notifications, builder.AddGeneratedSecret("notification-database-password"));
    var secretsLogin = new LocalDatabaseLogin(ServiceDatabaseLogin.Secrets, builder.AddGeneratedSecret("secrets-database-password"));
    var postgres = builder.AddLocalPostgres("postgres", [schedulerLogin, notificationLogin, secretsLogin]);
    schedulerService.WithReplicas(2)
        .WithEnvironment("ConnectionStrings__Scheduler", postgres.ConnectionString(schedulerLogin))
        .WaitFor(postgres);
    notificationService.WithReplicas(2)
        .WithEnvironment("ConnectionStrings__Notifications", postgres.ConnectionString(notificationLogin))
        .WaitFor(postgres);
    // SecretsService (one replica) keeps its outbox and key ring in its own schema too, as in AWS.
    secretsService
        .WithEnvironment("ConnectionStrings__Secrets", postgres.ConnectionString(secretsLogin))
        .WaitFor(postgres);
}

builder.Build().Run();
return 0;
