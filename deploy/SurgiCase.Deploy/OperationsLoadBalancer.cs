using Amazon.CDK;
using Amazon.CDK.AWS.EC2;
using Amazon.CDK.AWS.ECS;
using Amazon.CDK.AWS.ElasticLoadBalancingV2;
using Constructs;

namespace SurgiCase.Deploy;

/// <summary>
/// The only way in from outside the VPC: HTTPS on 443 to the scheduler's operations page. Internet-facing or internal
/// (context <c>albScheme</c>), open to <c>allowedCidr</c> (internet-facing) or the VPC (internal). Sessions stick to
/// one scheduler task, because each task signs its sign-in cookie and antiforgery tokens with its own keys.
/// </summary>
internal sealed class OperationsLoadBalancer : Construct
{
    public OperationsLoadBalancer(Construct scope, string id, ServicePlatform platform, SurgiCaseService scheduler) : base(scope, id)
    {
        var settings = platform.Settings;
        var vpc = platform.Network.Vpc;
        SecurityGroup = new SecurityGroup(this, "SecurityGroup", new SecurityGroupProps
        {
            Vpc = vpc,
            Description = "Operations page load balancer: HTTPS in, the scheduler out",
            AllowAllOutbound = false,
        });
        var clients = settings.InternetFacing ? Peer.Ipv4(settings.AllowedCidr) : Peer.Ipv4(vpc.VpcCidrBlock);
        SecurityGroup.AddIngressRule(clients, Port.Tcp(443), "HTTPS to the operations page");

        LoadBalancer = new ApplicationLoadBalancer(this, "LoadBalancer", new ApplicationLoadBalancerProps
        {
            Vpc = vpc,
            InternetFacing = settings.InternetFacing,
            VpcSubnets = settings.InternetFacing ? new SubnetSelection { SubnetType = SubnetType.PUBLIC } : platform.Network.TaskSubnets,
            SecurityGroup = SecurityGroup,
            DropInvalidHeaderFields = true,
        });

        var listener = LoadBalancer.AddListener("Https", new BaseApplicationListenerProps
        {
            Port = 443,
            Protocol = ApplicationProtocol.HTTPS,
            Certificates = [ListenerCertificate.FromArn(settings.CertificateArn)],
            SslPolicy = SslPolicy.RECOMMENDED_TLS,
            // The ingress rule above, not "from anywhere".
            Open = false,
        });

        TargetGroup = listener.AddTargets("Scheduler", new AddApplicationTargetsProps
        {
            Port = Names.ContainerPort,
            Protocol = ApplicationProtocol.HTTP,
            Targets =
            [
                scheduler.Service.LoadBalancerTarget(new LoadBalancerTargetOptions
                {
                    ContainerName = SurgiCaseService.AppContainerName,
                    ContainerPort = Names.ContainerPort,
                }),
            ],
            HealthCheck = new Amazon.CDK.AWS.ElasticLoadBalancingV2.HealthCheck
            {
                Path = "/health",
                HealthyHttpCodes = "200",
                Interval = Duration.Seconds(15),
                HealthyThresholdCount = 2,
                UnhealthyThresholdCount = 3,
            },
            // No stickiness: every task reads every other's cookies (one Data Protection key ring in the database).
            DeregistrationDelay = Duration.Seconds(20),
        });

        OperationsUrl = settings.OperationsHostName is { } host
            ? $"https://{host}/"
            : $"https://{LoadBalancer.LoadBalancerDnsName}/";
    }

    public SecurityGroup SecurityGroup { get; }

    public ApplicationLoadBalancer LoadBalancer { get; }

    public ApplicationTargetGroup TargetGroup { get; }

    /// <summary>The operations page's address, linked from every alert email.</summary>
    public string OperationsUrl { get; }
}
