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
    public const string InternalPrefix = "surgicase-internal/";

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

    public ApplicationSecrets(Construct scope, string id) : base(scope, id)
    {
        var byName = new Dictionary<string, Secret>(StringComparer.Ordinal);
        foreach (var spec in Specs)
        {
            byName[spec.Name] = new Secret(this, ConstructId(spec.Name), new SecretProps
            {
                SecretName = spec.Name,
                Description = $"{(spec.Origin == SecretOrigin.Generated ? "Generated" : "Set by a person")}: {spec.Fields}",
                GenerateSecretString = spec.Origin == SecretOrigin.Generated
                    ? JsonField(spec.GeneratedField!)
                    // A JSON placeholder, so readers see "no such field" rather than unparseable text until a person sets it.
                    : JsonField("placeholder"),
                RemovalPolicy = RemovalPolicy.RETAIN,
            });
        }

        ByName = byName;
        OperatorApiKey = ServiceKey("operator-api-key", "The scheduler's operator key: the operations page's sign-in, and X-Api-Key for the scheduler's API.");
        NotificationOperatorKey = ServiceKey("notification-operator-key", "NotificationService's operator key: X-Api-Key for POST /notifications/test.");
        SecretsOperatorKey = ServiceKey("secrets-operator-key", "SecretsService's operator key: X-Api-Key for POST /secrets/warm.");
        OperationsPageKey = ServiceKey("operations-page-key", "The operations page's read-only caller on NotificationService and SecretsService.");
        SchedulerSecretsKey = ServiceKey("scheduler-secrets-api-key", "The scheduler's key for SecretsService.");
        NotificationSecretsKey = ServiceKey("notification-secrets-api-key", "The notification service's key for SecretsService.");
        DataProtectionKey = ServiceKey("data-protection-key", "Encrypts the Data Protection key rings in the database: the scheduler's (session cookies, antiforgery) and NotificationService's (acknowledge links).");
    }

    public IReadOnlyDictionary<string, Secret> ByName { get; }

    public Secret OperatorApiKey { get; }

    public Secret NotificationOperatorKey { get; }

    public Secret SecretsOperatorKey { get; }

    public Secret OperationsPageKey { get; }

    public Secret SchedulerSecretsKey { get; }

    public Secret NotificationSecretsKey { get; }

    public Secret DataProtectionKey { get; }

    private Secret ServiceKey(string name, string description) =>
        new(this, ConstructId(name), new SecretProps
        {
            SecretName = InternalPrefix + name,
            Description = description,
            GenerateSecretString = new SecretStringGenerator { PasswordLength = 48, ExcludePunctuation = true },
        });

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
