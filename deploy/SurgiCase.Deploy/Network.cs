using Amazon.CDK.AWS.EC2;
using Amazon.CDK.AWS.Logs;
using Constructs;

namespace SurgiCase.Deploy;

/// <summary>
/// The VPC: public subnets for the load balancer (and NAT, when asked for), private subnets for the tasks, isolated
/// subnets for the database. The tasks reach AWS through VPC endpoints, so they need no NAT gateway for AWS.
/// </summary>
internal sealed class Network : Construct
{
    public const string DatabaseSubnetGroup = "database";

    /// <summary>
    /// Interface endpoints the tasks use: the services' own calls (SQS, Secrets Manager, SES v2), ECS pulling images
    /// (ECR API + registry) and writing logs, the ECS agent reading secrets, and the collector (X-Ray; metrics go as
    /// EMF through Logs). S3 (image layers) is a free gateway endpoint.
    /// </summary>
    public static readonly IReadOnlyList<string> InterfaceEndpointServices =
        ["sqs", "secretsmanager", "ecr.api", "ecr.dkr", "logs", "xray"];

    public const string SesApiEndpointService = "email";

    /// <summary>ECS Exec's channel, only when <see cref="DeploymentSettings.ExecuteCommand"/> is on.</summary>
    public const string ExecuteCommandEndpointService = "ssmmessages";

    /// <summary>The VPC's address range, stated (not read back from the VPC) so the endpoints' rules name it literally.</summary>
    public const string Cidr = "10.0.0.0/16";

    public Network(Construct scope, string id, DeploymentSettings settings) : base(scope, id)
    {
        var tasksSubnetType = settings.NatGateways > 0 ? SubnetType.PRIVATE_WITH_EGRESS : SubnetType.PRIVATE_ISOLATED;
        Vpc = new Vpc(this, "Vpc", new VpcProps
        {
            MaxAzs = 2,
            IpAddresses = IpAddresses.Cidr(Cidr),
            NatGateways = settings.NatGateways,
            SubnetConfiguration =
            [
                new SubnetConfiguration { Name = "public", SubnetType = SubnetType.PUBLIC, CidrMask = 24 },
                new SubnetConfiguration { Name = "tasks", SubnetType = tasksSubnetType, CidrMask = 22 },
                new SubnetConfiguration { Name = DatabaseSubnetGroup, SubnetType = SubnetType.PRIVATE_ISOLATED, CidrMask = 24 },
            ],
        });
        TaskSubnets = new SubnetSelection { SubnetGroupName = "tasks" };
        DatabaseSubnets = new SubnetSelection { SubnetGroupName = DatabaseSubnetGroup };

        // Every flow, accepted and rejected, for the investigation after an incident.
        var flowLogs = LogGroups.Create(this, "FlowLogs", $"/surgicase/{settings.EnvironmentName}/vpc-flow-logs", settings.LogRetentionDays);
        Vpc.AddFlowLog("FlowLog", new FlowLogOptions
        {
            Destination = FlowLogDestination.ToCloudWatchLogs(flowLogs),
            TrafficType = FlowLogTrafficType.ALL,
        });

        Vpc.AddGatewayEndpoint("S3", new GatewayVpcEndpointOptions
        {
            Service = GatewayVpcEndpointAwsService.S3,
            Subnets = [TaskSubnets],
        });

        var services = InterfaceEndpointServices
            .Concat(settings.SesApiEndpoint ? [SesApiEndpointService] : [])
            .Concat(settings.ExecuteCommand ? [ExecuteCommandEndpointService] : []);
        foreach (var service in services)
        {
            // Port 443 from the VPC's range only, and nothing out (an endpoint answers, it never calls); private DNS
            // makes the SDKs' default endpoints resolve here.
            var group = new SecurityGroup(this, EndpointId(service) + "SecurityGroup", new SecurityGroupProps
            {
                Vpc = Vpc,
                Description = $"VPC endpoint {service}: HTTPS from the VPC",
                AllowAllOutbound = false,
            });
            var endpoint = Vpc.AddInterfaceEndpoint(EndpointId(service), new InterfaceVpcEndpointOptions
            {
                Service = new InterfaceVpcEndpointAwsService(service),
                Subnets = TaskSubnets,
                PrivateDnsEnabled = true,
                Open = false,
                SecurityGroups = [group],
            });
            endpoint.Connections.AllowFrom(Peer.Ipv4(Cidr), Port.Tcp(443), "HTTPS from the VPC");
        }
    }

    public Vpc Vpc { get; }

    public SubnetSelection TaskSubnets { get; }

    public SubnetSelection DatabaseSubnets { get; }

    private static string EndpointId(string service) =>
        string.Concat(service.Split('.').Select(part => char.ToUpperInvariant(part[0]) + part[1..])) + "Endpoint";
}
