using Amazon.CDK;
using Amazon.CDK.AWS.EC2;
using Amazon.CDK.AWS.ECR;
using Amazon.CDK.AWS.ECS;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.Lambda;
using Constructs;
using EcsSecret = Amazon.CDK.AWS.ECS.Secret;

namespace SurgiCase.Deploy;

/// <summary>
/// Creates each service's PostgreSQL login before the services start: a one-shot ECS task (the scheduler's image with
/// <c>--provision-database</c>, SurgiCase.Storage's <c>PostgresProvisioner</c>), the only task given the master login,
/// run on every deployment by a CloudFormation custom resource whose Lambda starts the task and waits for it to stop.
/// The services depend on it, so a deployment updates them only after it succeeded; a failed run fails the deployment.
/// </summary>
/// <remarks>
/// Why a task and not RDS IAM authentication: IAM tokens would still need the roles created (and <c>rds_iam</c> granted)
/// by the master login, the clustered Quartz store opens its own connections from a connection string, which cannot
/// refresh a 15-minute token, and the same provisioning code runs locally in cluster mode. The task runs in the services'
/// subnets, reaching ECR, Secrets Manager and CloudWatch Logs through the same VPC endpoints.
/// </remarks>
internal sealed class DatabaseSetup : Construct
{
    public const string ContainerName = "setup";

    public DatabaseSetup(Construct scope, string id, SurgiCaseStack stack, ServicePlatform platform) : base(scope, id)
    {
        var settings = stack.Settings;
        var logGroup = LogGroups.Create(this, "Logs", $"/surgicase/{settings.EnvironmentName}/database-setup", settings.LogRetentionDays);
        TaskDefinition = new FargateTaskDefinition(this, "Task", new FargateTaskDefinitionProps
        {
            Family = $"surgicase-{settings.EnvironmentName}-database-setup",
            Cpu = 256,
            MemoryLimitMiB = 512,
            RuntimePlatform = new RuntimePlatform { CpuArchitecture = CpuArchitecture.X86_64, OperatingSystemFamily = OperatingSystemFamily.LINUX },
        });
        var secrets = new Dictionary<string, EcsSecret> { ["PGPASSWORD"] = EcsSecret.FromSecretsManager(stack.Database.Login, "password") };
        foreach (var login in stack.Database.ServiceLogins.Values)
        {
            secrets[$"DatabaseSetup__Passwords__{login.Role}"] = EcsSecret.FromSecretsManager(login.Secret, "password");
        }

        TaskDefinition.AddContainer(ContainerName, new ContainerDefinitionOptions
        {
            ContainerName = ContainerName,
            Image = ContainerImage.FromEcrRepository(
                Repository.FromRepositoryName(this, "Repository", ServiceName.Scheduler.EcrRepository), settings.ImageTag),
            Essential = true,
            Command = ["--provision-database"],
            Environment = new Dictionary<string, string>
            {
                ["ASPNETCORE_ENVIRONMENT"] = "Production",
                ["ConnectionStrings__Master"] = stack.Database.ConnectionString,
            },
            Secrets = secrets,
            Logging = LogDriver.AwsLogs(new AwsLogDriverProps { LogGroup = logGroup, StreamPrefix = ContainerName }),
        });
        Nag.Suppress(TaskDefinition, "AwsSolutions-ECS2",
            "Only the master connection string without its password is plain environment; every password is an ECS secret resolved from Secrets Manager at task start.");

        SecurityGroup = new SecurityGroup(this, "SecurityGroup", new SecurityGroupProps
        {
            Vpc = platform.Network.Vpc,
            Description = "Database setup task",
            // Out: HTTPS to the VPC endpoints (ECR, Secrets Manager, Logs) and S3's image layers, and the database.
            AllowAllOutbound = false,
        });
        SecurityGroup.AddEgressRule(Peer.AnyIpv4(), Port.Tcp(SurgiCaseService.HttpsPort), "HTTPS: VPC endpoints and S3 image layers");
        SecurityGroup.Connections.AllowTo(stack.Database.SecurityGroup, Port.Tcp(Database.Port), "database setup to PostgreSQL");

        var runner = new Function(this, "Runner", new FunctionProps
        {
            Runtime = Runtime.PYTHON_3_12,
            Handler = "index.handler",
            Code = Code.FromInline(DatabaseSetupRunner.Source),
            Timeout = Duration.Minutes(14),
            Description = "Runs the SurgiCase database setup task and reports its exit to CloudFormation",
        });
        runner.AddToRolePolicy(new PolicyStatement(new PolicyStatementProps
        {
            Actions = ["ecs:RunTask"],
            Resources = [TaskDefinition.TaskDefinitionArn],
            Conditions = new Dictionary<string, object> { ["ArnEquals"] = new Dictionary<string, object> { ["ecs:cluster"] = platform.Cluster.ClusterArn } },
        }));
        runner.AddToRolePolicy(new PolicyStatement(new PolicyStatementProps
        {
            Actions = ["ecs:DescribeTasks"],
            Resources = [$"arn:{Aws.PARTITION}:ecs:{Aws.REGION}:{Aws.ACCOUNT_ID}:task/{platform.Cluster.ClusterName}/*"],
        }));
        runner.AddToRolePolicy(new PolicyStatement(new PolicyStatementProps
        {
            Actions = ["iam:PassRole"],
            Resources = [TaskDefinition.TaskRole.RoleArn, TaskDefinition.ObtainExecutionRole().RoleArn],
        }));
        Nag.SuppressAll(this, "AWS::IAM::Role", "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]",
            "The setup runner's own log group is written with AWS's basic execution policy; it can do nothing else but run and watch the setup task.");
        Nag.SuppressAll(this, "AWS::IAM::Policy", "AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ecs:<AWS::Region>:<AWS::AccountId>:task/<ClusterEB0386A7>/*]",
            "Task ARNs are known only once RunTask started one; the grant is DescribeTasks in this cluster alone.");
        Nag.SuppressAll(this, "AWS::IAM::Policy", "AwsSolutions-IAM5[Resource::*]",
            "ecr:GetAuthorizationToken (the setup task's execution role) is authorized by AWS on Resource \"*\" only; every other statement names its resource.");
        Nag.Suppress(runner, "AwsSolutions-L1",
            "Python 3.12 is the newest runtime Amazon.CDK.Lib 2.160 (the newest the package registry serves) knows; the code uses nothing version-specific.");

        var subnets = platform.Network.Vpc.SelectSubnets(platform.Network.TaskSubnets).SubnetIds;
        Run = new CustomResource(this, "Run", new CustomResourceProps
        {
            ServiceToken = runner.FunctionArn,
            ResourceType = "Custom::SurgiCaseDatabaseSetup",
            Properties = new Dictionary<string, object>
            {
                ["Cluster"] = platform.Cluster.ClusterArn,
                // A new image or task definition (a changed password secret, a new release) runs the setup again.
                ["TaskDefinition"] = TaskDefinition.TaskDefinitionArn,
                ["Subnets"] = Fn.Join(",", subnets),
                ["SecurityGroup"] = SecurityGroup.SecurityGroupId,
                ["ImageTag"] = settings.ImageTag,
            },
        });
        Run.Node.AddDependency(stack.Database.Instance);
    }

    public FargateTaskDefinition TaskDefinition { get; }

    public SecurityGroup SecurityGroup { get; }

    /// <summary>The custom resource: done when the setup task exited 0. Services depend on it.</summary>
    public CustomResource Run { get; }
}
