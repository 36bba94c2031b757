using Amazon.CDK;
using Amazon.CDK.AWS.SecretsManager;
using Constructs;

namespace SurgiCase.Deploy;

/// <summary>How a secret gets its first value. None of them puts a value in the template.</summary>
internal enum SecretOrigin
{
    /// <summary>Secrets Manager generates the value at deploy time; nobody needs to touch it.</summary>
    Generated,

    /// <summary>Created with a generated placeholder; a person puts the real value in (README, "Set the secrets").</summary>
    SetByPerson,
}

/// <summary>One of the nine <c>surgicase/*</c> secrets the jobs read through SecretsService.</summary>
internal sealed record ApplicationSecretSpec(string Name, SecretOrigin Origin, string Fields, string? GeneratedField = null);

/// <summary>
/// The nine <c>surgicase/*</c> secrets, declared by name, and the keys the services present to each other, generated
/// and injected into the tasks as ECS secrets. Service keys and the database login live outside <c>surgicase/*</c>, so
/// SecretsService (which may read <c>surgicase/*</c>) cannot hand one service another's key.
/// </summary>
internal sealed class ApplicationSecrets : Construct
{
    /// <summary>Where the service keys and the database login live: outside what SecretsService may read.</summary>
    public static string InternalPrefix(string environment) => $"surgicase-internal/{environment}/";

    /// <summary>Where this environment's nine application secrets live (SecretsService may read exactly these).</summary>
    public static string ApplicationPrefix(string environment) => $"surgicase/{environment}/";

    /// <summary>An application secret's name in an environment: <c>surgicase/main</c> becomes <c>surgicase/production/main</c>.</summary>
    public static string NameIn(string environment, string specName) => ApplicationPrefix(environment) + specName["surgicase/".Length..];

    public static readonly IReadOnlyList<ApplicationSecretSpec> Specs =
    [
        new("surgicase/main", SecretOrigin.SetByPerson, "job_failure_recipients (comma-separated), admin_email, optional job_failure_escalation"),
        new("surgicase/api", SecretOrigin.Generated, "api_key: the key the report jobs send to the SurgiCase API", GeneratedField: "api_key"),
        new("surgicase/database", SecretOrigin.SetByPerson, "host, username, password of the SurgiCase API's database"),
        new("surgicase/email", SecretOrigin.SetByPerson, "smtp_user, smtp_password"),
        new("surgicase/s3-reports", SecretOrigin.SetByPerson, "bucket, access_key, secret_key"),
        new("surgicase/npi-registry", SecretOrigin.SetByPerson, "api_token"),
        new("surgicase/backup", SecretOrigin.Generated, "encryption_key", GeneratedField: "encryption_key"),
        new("surgicase/slack", SecretOrigin.SetByPerson, "webhook_url: a Slack incoming webhook, the alerts' second channel"),
        new("surgicase/payments", SecretOrigin.SetByPerson, "api_key"),
    ];

    public ApplicationSecrets(Construct scope, string id, string environment) : base(scope, id)
    {
        _environment = environment;
        var byName = new Dictionary<string, Secret>(StringComparer.Ordinal);
        foreach (var spec in Specs)
        {
            byName[spec.Name] = new Secret(this, ConstructId(spec.Name), new SecretProps
            {
                SecretName = NameIn(environment, spec.Name),
                Description = $"{(spec.Origin == SecretOrigin.Generated ? "Generated" : "Set by a person")}: {spec.Fields}",
                GenerateSecretString = spec.Origin == SecretOrigin.Generated
                    ? JsonField(spec.GeneratedField!)
                    // A JSON placeholder, so readers see "no such field" rather than unparseable text until a person sets it.
                    : JsonField("placeholder"),
                // Kept when the stack is deleted (a person set the value), deleted when a failed first create rolls
                // back, so the retry can create the same name.
                RemovalPolicy = RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
            });
            Nag.Suppress(byName[spec.Name], "AwsSolutions-SMG4", spec.Origin == SecretOrigin.Generated
                ? "A key shared with a system outside this stack (the SurgiCase API, backups): rotating it here alone would break that system; rotated by hand with it."
                : "Holds a credential of a third party (SMTP, S3, NPI registry, payments, Slack, recipients) that a person sets; Secrets Manager cannot rotate it without that party.");
        }

        ByName = byName;
        OperatorApiKey = ServiceKey("operator-api-key", "The scheduler's operator key: the operations page's sign-in, and X-Api-Key for the scheduler's API.");
        NotificationOperatorKey = ServiceKey("notification-operator-key", "NotificationService's operator key: X-Api-Key for POST /notifications/test.");
        SecretsOperatorKey = ServiceKey("secrets-operator-key", "SecretsService's operator key: X-Api-Key for POST /secrets/warm.");
        OperationsPageKey = ServiceKey("operations-page-key", "The operations page's read-only caller on NotificationService and SecretsService.");
        SchedulerSecretsKey = ServiceKey("scheduler-secrets-api-key", "The scheduler's key for SecretsService.");
        NotificationSecretsKey = ServiceKey("notification-secrets-api-key", "The notification service's key for SecretsService.");
        // One key-encryption key per service: NotificationService keeps the one they shared before (the acknowledge links
        // already sent stay readable), the scheduler's ring starts afresh under its own.
        DataProtectionKey = ServiceKey("data-protection-key", "Encrypts NotificationService's Data Protection key ring (acknowledge links) in its schema.");
        SchedulerDataProtectionKey = ServiceKey("scheduler-data-protection-key", "Encrypts the scheduler's Data Protection key ring (the operations page's cookies, antiforgery) in its schema.");
    }

    private readonly string _environment;

    /// <summary>The secrets by their spec name (<c>surgicase/main</c>), whatever the environment's prefix.</summary>
    public IReadOnlyDictionary<string, Secret> ByName { get; }

    public Secret OperatorApiKey { get; }

    public Secret NotificationOperatorKey { get; }

    public Secret SecretsOperatorKey { get; }

    public Secret OperationsPageKey { get; }

    public Secret SchedulerSecretsKey { get; }

    public Secret NotificationSecretsKey { get; }

    /// <summary>NotificationService's key-encryption key.</summary>
    public Secret DataProtectionKey { get; }

    /// <summary>The scheduler's key-encryption key.</summary>
    public Secret SchedulerDataProtectionKey { get; }

    private Secret ServiceKey(string name, string description)
    {
        var secret = new Secret(this, ConstructId(name), new SecretProps
        {
            SecretName = InternalPrefix(_environment) + name,
            Description = description,
            GenerateSecretString = new SecretStringGenerator { PasswordLength = 48, ExcludePunctuation = true },
        });
        Nag.Suppress(secret, "AwsSolutions-SMG4",
            "A service key read by ECS at task start only: a rotation takes effect once every task is replaced, so it is rotated by the documented two-key procedure (docs/api-keys.md), not by a Lambda.");
        return secret;
    }

    private static SecretStringGenerator JsonField(string field) => new()
    {
        SecretStringTemplate = "{}",
        GenerateStringKey = field,
        PasswordLength = 48,
        ExcludePunctuation = true,
    };

    private static string ConstructId(string name) =>
        string.Concat(name.Split('/', '-').Select(part => char.ToUpperInvariant(part[0]) + part[1..]));
}
