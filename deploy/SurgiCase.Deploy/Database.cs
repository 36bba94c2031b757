using Amazon.CDK;
using Amazon.CDK.AWS.EC2;
using Amazon.CDK.AWS.RDS;
using Amazon.CDK.AWS.SecretsManager;
using Constructs;

namespace SurgiCase.Deploy;

/// <summary>
/// PostgreSQL 16 for the scheduler (clustered Quartz store, run history, outbox), the notification delivery log and
/// the SecretsService's outbox of warming alerts: private, encrypted, backed up. Each service logs in as its own role,
/// which owns its own schema (<see cref="ServiceLogins"/>, made by <see cref="DatabaseSetup"/>); the master login,
/// generated into Secrets Manager, is given to the setup task alone. A task gets a connection string without the
/// password, and the password as <c>PGPASSWORD</c> (an ECS secret), which Npgsql reads when the connection string has none.
/// </summary>
internal sealed class Database : Construct
{
    public const int Port = 5432;

    public Database(Construct scope, string id, Network network, DeploymentSettings settings) : base(scope, id)
    {
        SecurityGroup = new SecurityGroup(this, "SecurityGroup", new SecurityGroupProps
        {
            Vpc = network.Vpc,
            Description = "PostgreSQL: only the SurgiCase service tasks",
            AllowAllOutbound = false,
        });

        Instance = new DatabaseInstance(this, "Instance", new DatabaseInstanceProps
        {
            // A full version RDS still creates (a major alone is an alias that cfn-lint reports as deprecated); minor
            // upgrades then come automatically, and CloudFormation never sends the unchanged pin back.
            Engine = DatabaseInstanceEngine.Postgres(new PostgresInstanceEngineProps
            {
                Version = PostgresEngineVersion.Of(settings.DatabaseEngineVersion, settings.DatabaseEngineVersion.Split('.')[0]),
            }),
            InstanceType = new Amazon.CDK.AWS.EC2.InstanceType(settings.DatabaseInstanceType),
            Vpc = network.Vpc,
            VpcSubnets = network.DatabaseSubnets,
            SecurityGroups = [SecurityGroup],
            PubliclyAccessible = false,
            MultiAz = settings.DatabaseMultiAz,
            StorageEncrypted = true,
            AllocatedStorage = 20,
            MaxAllocatedStorage = 100,
            DatabaseName = Names.DatabaseName,
            Port = Port,
            Credentials = Credentials.FromGeneratedSecret(Names.DatabaseUser, new CredentialsBaseOptions
            {
                SecretName = ApplicationSecrets.InternalPrefix(settings.EnvironmentName) + "database-login",
                // Characters that would need quoting in a connection string or a shell.
                ExcludeCharacters = " %+~`#$&*()|[]{}:;<>?!'/@\"\\=,",
            }),
            BackupRetention = Duration.Days(7),
            DeleteAutomatedBackups = false,
            // Off unless asked for: a failed first create must be able to delete the instance on rollback (a protected
            // instance cannot be, and the stack would end in ROLLBACK_FAILED). RetainExceptOnCreate below keeps it
            // through any later stack deletion; deletionProtection=true adds the guard against deleting it directly.
            DeletionProtection = settings.DatabaseDeletionProtection,
            RemovalPolicy = RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
            AutoMinorVersionUpgrade = true,
        });
        // A replacement (a change RDS cannot make in place) snapshots the old instance instead of leaving it running.
        ((CfnDBInstance)Instance.Node.DefaultChild!).CfnOptions.UpdateReplacePolicy = CfnDeletionPolicy.SNAPSHOT;

        Login = Instance.Secret ?? throw new InvalidOperationException("A generated-credentials instance always has a secret.");
        // The generated login goes with the instance: kept on stack deletion, removed by a failed first create.
        foreach (var secret in Instance.Node.FindAll().OfType<CfnSecret>())
        {
            secret.ApplyRemovalPolicy(RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE);
        }

        Nag.SuppressAll(Instance, "AWS::SecretsManager::Secret", "AwsSolutions-SMG4",
            "The master login is read only by the database setup task, as PGPASSWORD at its start: a rotation Lambda would change it between runs unseen; rotate by setting a new password on the instance and in the secret (docs/deploy.md).");
        ServiceLogins = new Dictionary<ServiceName, DatabaseLogin>
        {
            [ServiceName.Scheduler] = ServiceLogin(settings, "surgicase_scheduler", "scheduler"),
            [ServiceName.Notifications] = ServiceLogin(settings, "surgicase_notifications", "notifications"),
            [ServiceName.Secrets] = ServiceLogin(settings, "surgicase_secrets", Names.SecretsDatabaseSchema),
        };
        Nag.Suppress(Instance, "AwsSolutions-RDS11",
            "The instance is in isolated subnets and its security group admits only the three services' groups; a non-default port would hide nothing from them.");
        if (!settings.DatabaseDeletionProtection)
        {
            Nag.Suppress(Instance, "AwsSolutions-RDS10",
                "Deletion protection would turn a failed first create into ROLLBACK_FAILED; RetainExceptOnCreate keeps the instance on stack deletion, and -c databaseDeletionProtection=true turns protection on after the first deploy.");
        }
    }

    /// <summary>
    /// Each service's own login, created by <see cref="DatabaseSetup"/>: a role that owns one schema (the same names as
    /// SurgiCase.Storage's <c>ServiceDatabaseLogin</c>; a test compares them), its password generated into Secrets Manager.
    /// </summary>
    public IReadOnlyDictionary<ServiceName, DatabaseLogin> ServiceLogins { get; }

    public SecurityGroup SecurityGroup { get; }

    public DatabaseInstance Instance { get; }

    public ISecret Login { get; }

    /// <summary>
    /// Where the images carry the Amazon RDS certificate authorities (deploy/images/rds-ca-bundle.pem, copied into every
    /// service's publish folder, which is /app in the image): RDS's CAs are in no system trust store.
    /// </summary>
    public const string RdsCaBundlePath = "/app/rds-ca-bundle.pem";

    /// <summary>
    /// Npgsql's TLS settings: encrypted, and the server's certificate verified against the RDS CAs and its host name,
    /// so a machine in the path cannot pose as the database.
    /// </summary>
    public const string TlsSettings = $"SSL Mode=VerifyFull;Root Certificate={RdsCaBundlePath}";

    /// <summary>The master login's Npgsql connection string without the password (it comes from <c>PGPASSWORD</c>): the setup task's only.</summary>
    public string ConnectionString => ConnectionStringAs(Names.DatabaseUser);

    /// <summary>A service's connection string: its own role, its schema first on the search path, no password (<c>PGPASSWORD</c>).</summary>
    public string ConnectionStringFor(ServiceName service) =>
        $"{ConnectionStringAs(ServiceLogins[service].Role)};Search Path={ServiceLogins[service].Schema}";

    private string ConnectionStringAs(string user) =>
        $"Host={Instance.DbInstanceEndpointAddress};Port={Port};Database={Names.DatabaseName};Username={user};{TlsSettings}";

    private DatabaseLogin ServiceLogin(DeploymentSettings settings, string role, string schema)
    {
        var secret = new Amazon.CDK.AWS.SecretsManager.Secret(this, "Login" + char.ToUpperInvariant(schema[0]) + schema[1..], new SecretProps
        {
            SecretName = ApplicationSecrets.InternalPrefix(settings.EnvironmentName) + "database-login-" + schema,
            Description = $"PostgreSQL login {role} (owns schema {schema}): created by the database setup task, read by the service's tasks as PGPASSWORD.",
            GenerateSecretString = new SecretStringGenerator
            {
                SecretStringTemplate = $"{{\"username\":\"{role}\"}}",
                GenerateStringKey = "password",
                PasswordLength = 40,
                ExcludeCharacters = " %+~`#$&*()|[]{}:;<>?!'/@\"\\=,",
            },
            // Goes with the database: kept on stack deletion, removed by a failed first create.
            RemovalPolicy = RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
        });
        Nag.Suppress(secret, "AwsSolutions-SMG4",
            "Read by ECS at task start as PGPASSWORD: a rotation Lambda would change it under running tasks; rotate by a new value and a new deployment, whose setup task sets it on the role first (docs/deploy.md).");
        return new DatabaseLogin(role, schema, secret);
    }
}

/// <summary>A service's own PostgreSQL role, the schema it owns, and the secret with its password (field <c>password</c>).</summary>
internal sealed record DatabaseLogin(string Role, string Schema, ISecret Secret);
