using Amazon.CDK;
using Amazon.CDK.AWS.EC2;
using Amazon.CDK.AWS.RDS;
using Amazon.CDK.AWS.SecretsManager;
using Constructs;

namespace SurgiCase.Deploy;

/// <summary>
/// PostgreSQL 15 for the scheduler (clustered Quartz store, run history, outbox), the notification delivery log and
/// the SecretsService's outbox of warming alerts: private, encrypted, backed up, its login generated into Secrets
/// Manager. The services get a connection string without the password, and the password as <c>PGPASSWORD</c> (an ECS
/// secret), which Npgsql reads when the connection string has none.
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
            Engine = DatabaseInstanceEngine.Postgres(new PostgresInstanceEngineProps { Version = PostgresEngineVersion.VER_15 }),
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
                SecretName = ApplicationSecrets.InternalPrefix + "database-login",
                // Characters that would need quoting in a connection string or a shell.
                ExcludeCharacters = " %+~`#$&*()|[]{}:;<>?!'/@\"\\=,",
            }),
            BackupRetention = Duration.Days(7),
            DeleteAutomatedBackups = false,
            DeletionProtection = true,
            RemovalPolicy = RemovalPolicy.SNAPSHOT,
            AutoMinorVersionUpgrade = true,
        });

        Login = Instance.Secret ?? throw new InvalidOperationException("A generated-credentials instance always has a secret.");
    }

    public SecurityGroup SecurityGroup { get; }

    public DatabaseInstance Instance { get; }

    public ISecret Login { get; }

    /// <summary>Npgsql connection string without the password (it comes from <c>PGPASSWORD</c>).</summary>
    public string ConnectionString =>
        $"Host={Instance.DbInstanceEndpointAddress};Port={Port};Database={Names.DatabaseName};"
        + $"Username={Names.DatabaseUser};SSL Mode=Require";

    /// <summary>
    /// The same database with the service's tables in a schema of their own (created by the service at start): the
    /// SecretsService has an outbox table too, which must not be the scheduler's.
    /// </summary>
    public string ConnectionStringInSchema(string schema) => $"{ConnectionString};Search Path={schema}";
}
