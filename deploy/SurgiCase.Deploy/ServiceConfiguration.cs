using Amazon.CDK.AWS.SecretsManager;
using EcsSecret = Amazon.CDK.AWS.ECS.Secret;

namespace SurgiCase.Deploy;

/// <summary>
/// The configuration each service's task passes, as the services' own configuration keys (<c>Section__Key</c>):
/// plain values as environment, keys and passwords as ECS secrets (resolved by ECS from Secrets Manager at task
/// start, never in the template). The tests check every key against the options the service binds.
/// </summary>
internal static class ServiceConfiguration
{
    public static ServiceSpec Secrets(SurgiCaseStack stack) => new(
        ServiceName.Secrets,
        stack.Settings.SecretsTasks,
        Environment: new Dictionary<string, string>(Aws(stack, deadLetterQueue: true))
        {
            // The outbox of warming alerts, so an alert SQS refused survives a restart of the task.
            ["ConnectionStrings__Secrets"] = stack.Database.ConnectionStringFor(ServiceName.Secrets),
        }.Concat(SecretNamesInEnvironment(stack.Settings.EnvironmentName)).ToDictionary(),
        Secrets: new Dictionary<string, EcsSecret>
        {
            ["PGPASSWORD"] = DatabasePassword(stack, ServiceName.Secrets),
            ["Authentication__ApiKeys__operator"] = Whole(stack.Secrets.SecretsOperatorKey),
            ["Authentication__ApiKeys__operations-page"] = Whole(stack.Secrets.OperationsPageKey),
            [$"Authentication__ApiKeys__{ServiceName.Scheduler}"] = Whole(stack.Secrets.SchedulerSecretsKey),
            [$"Authentication__ApiKeys__{ServiceName.Notifications}"] = Whole(stack.Secrets.NotificationSecretsKey),
        },
        Permissions: TaskPermissions.Secrets(stack.Queues, ServedSecrets(stack).Select(secret => secret.SecretArn)),
        ServesOthers: true)
    {
        DeploymentAlarms = [Alarms.SecretsBreakerOpenName(stack.Settings.EnvironmentName)],
    };

    public static ServiceSpec Notifications(SurgiCaseStack stack) => new(
        ServiceName.Notifications,
        stack.Settings.NotificationTasks,
        Environment: new Dictionary<string, string>(Aws(stack, deadLetterQueue: true))
        {
            ["Aws__Ses__ConfigurationSetName"] = Names.SesConfigurationSet(stack.Settings.EnvironmentName),
            ["SecretsClient__BaseAddress"] = ServiceName.Secrets.ServiceConnectAddress.ToString(),
            ["ConnectionStrings__Notifications"] = stack.Database.ConnectionStringFor(ServiceName.Notifications),
            ["Notifications__Sender"] = stack.Settings.SenderAddress,
            ["Notifications__FallbackRecipients"] = stack.Settings.AlarmEmail,
            ["Notifications__Webhook__SecretName"] = ApplicationSecrets.NameIn(stack.Settings.EnvironmentName, "surgicase/slack"),
            ["Notifications__RecipientsSecretName"] = ApplicationSecrets.NameIn(stack.Settings.EnvironmentName, "surgicase/main"),
        },
        Secrets: new Dictionary<string, EcsSecret>
        {
            ["SecretsClient__ApiKey"] = Whole(stack.Secrets.NotificationSecretsKey),
            ["Authentication__ApiKeys__operator"] = Whole(stack.Secrets.NotificationOperatorKey),
            ["Authentication__ApiKeys__operations-page"] = Whole(stack.Secrets.OperationsPageKey),
            ["DataProtection__KeyEncryptionKey"] = Whole(stack.Secrets.DataProtectionKey),
            ["PGPASSWORD"] = DatabasePassword(stack, ServiceName.Notifications),
        },
        Permissions: TaskPermissions.Notifications(stack.Queues, stack.Email),
        ServesOthers: true)
    {
        DeploymentAlarms = [Alarms.NotificationFailuresName(stack.Settings.EnvironmentName)],
    };

    public static ServiceSpec Scheduler(SurgiCaseStack stack) => new(
        ServiceName.Scheduler,
        stack.Settings.SchedulerTasks,
        Environment: new Dictionary<string, string>(Aws(stack, deadLetterQueue: false))
        {
            ["SecretsClient__BaseAddress"] = ServiceName.Secrets.ServiceConnectAddress.ToString(),
            ["ConnectionStrings__Scheduler"] = stack.Database.ConnectionStringFor(ServiceName.Scheduler),
            ["SurgiCaseApi__BaseAddress"] = (stack.Settings.SurgiCaseApiBaseAddress ?? ServiceName.ApiSimulator.ServiceConnectAddress).ToString(),
            ["SurgiCaseApi__ApiKeySecretName"] = ApplicationSecrets.NameIn(stack.Settings.EnvironmentName, "surgicase/api"),
            ["Operations__NotificationsBaseAddress"] = ServiceName.Notifications.ServiceConnectAddress.ToString(),
            // Behind the load balancer, which terminates TLS: the page must see https to issue its Secure cookies.
            ["ASPNETCORE_FORWARDEDHEADERS_ENABLED"] = "true",
        },
        Secrets: new Dictionary<string, EcsSecret>
        {
            ["SecretsClient__ApiKey"] = Whole(stack.Secrets.SchedulerSecretsKey),
            ["Authentication__ApiKeys__operator"] = Whole(stack.Secrets.OperatorApiKey),
            ["Operations__NotificationsApiKey"] = Whole(stack.Secrets.OperationsPageKey),
            ["Operations__SecretsApiKey"] = Whole(stack.Secrets.OperationsPageKey),
            ["DataProtection__KeyEncryptionKey"] = Whole(stack.Secrets.SchedulerDataProtectionKey),
            ["PGPASSWORD"] = DatabasePassword(stack, ServiceName.Scheduler),
        },
        Permissions: TaskPermissions.Scheduler(stack.Queues),
        ServesOthers: false)
    {
        DeploymentAlarms = [Alarms.SchedulerTargetsUnhealthyName(stack.Settings.EnvironmentName)],
    };

    /// <summary>The demo/staging stand-in for the SurgiCase API: it demands the key the jobs read from <c>surgicase/api</c>.</summary>
    public static ServiceSpec ApiSimulator(SurgiCaseStack stack) => new(
        ServiceName.ApiSimulator,
        1,
        Environment: new Dictionary<string, string>(),
        Secrets: new Dictionary<string, EcsSecret>
        {
            ["Simulator__RequiredApiKey"] = EcsSecret.FromSecretsManager(stack.Secrets.ByName["surgicase/api"], "api_key"),
        },
        Permissions: [],
        ServesOthers: true,
        Cpu: 256,
        MemoryMiB: 512);

    /// <summary>The secrets each caller of SecretsService may read (as its appsettings.json: NotificationService reads no SMTP login).</summary>
    public static readonly IReadOnlyDictionary<ServiceName, string[]> AllowedSecrets = new Dictionary<ServiceName, string[]>
    {
        [ServiceName.Scheduler] = ["surgicase/api"],
        [ServiceName.Notifications] = ["surgicase/main", "surgicase/slack"],
    };

    /// <summary>What SecretsService reads from Secrets Manager: the secrets it warms and those its callers may read.</summary>
    public static IEnumerable<ISecret> ServedSecrets(SurgiCaseStack stack) =>
        ApplicationSecrets.Specs.Select(spec => spec.Name).Concat(AllowedSecrets.Values.SelectMany(names => names))
            .Distinct(StringComparer.Ordinal)
            .Select(name => stack.Secrets.ByName[name]);

    /// <summary>
    /// SecretsService's view of this environment's secret names: the nine it warms, and which each caller may read
    /// (the same lists as its appsettings.json, every name under <c>surgicase/&lt;environment&gt;/</c>; the lists are
    /// as long as appsettings', so every entry is replaced).
    /// </summary>
    private static IEnumerable<KeyValuePair<string, string>> SecretNamesInEnvironment(string environment)
    {
        string In(string name) => ApplicationSecrets.NameIn(environment, name);
        var warmed = ApplicationSecrets.Specs.Select((spec, i) => KeyValuePair.Create($"Secrets__SecretNames__{i}", In(spec.Name)));
        var callers = AllowedSecrets.SelectMany(caller => caller.Value
            .Select((name, i) => KeyValuePair.Create($"Secrets__Callers__{caller.Key}__AllowedSecrets__{i}", In(name))));
        return warmed.Concat(callers);
    }

    private static EcsSecret Whole(ISecret secret) => EcsSecret.FromSecretsManager(secret);

    /// <summary>The service's own database password (its login is made by <see cref="DatabaseSetup"/>); never the master's.</summary>
    private static EcsSecret DatabasePassword(SurgiCaseStack stack, ServiceName service) =>
        EcsSecret.FromSecretsManager(stack.Database.ServiceLogins[service].Secret, "password");

    /// <summary>The region (the credentials are the task role's) and the queues, named as the stack created them.</summary>
    private static Dictionary<string, string> Aws(SurgiCaseStack stack, bool deadLetterQueue)
    {
        var environment = new Dictionary<string, string>
        {
            ["Aws__Region"] = stack.Region,
            ["Messaging__QueueName"] = stack.Queues.Queue.QueueName,
        };
        if (deadLetterQueue)
        {
            environment["Messaging__DeadLetterQueueName"] = stack.Queues.DeadLetterQueue.QueueName;
        }

        return environment;
    }
}
