using Amazon.CDK;
using Amazon.CDK.AWS.EC2;
using Amazon.CDK.AWS.ECS;
using Amazon.CDK.AWS.CertificateManager;
using Amazon.CDK.AWS.ElasticLoadBalancingV2;
using Amazon.CDK.AWS.Route53;
using Amazon.CDK.AWS.Route53.Targets;
using Amazon.CDK.AWS.S3;
using Constructs;

namespace SurgiCase.Deploy;

/// <summary>
/// The only way in from outside the VPC: HTTPS on 443 to the scheduler's operations page (port 80 only redirects to
/// it). Internet-facing or internal (context <c>albScheme</c>), open to <c>allowedCidr</c> (internet-facing) or the VPC
/// (internal). Access logs go to an encrypted, TLS-only bucket that expires them. The certificate is
/// <c>certificateArn</c>, or created with the alias record in <c>hostedZone</c>. The HTTPS listener forwards only the
/// page's paths (<see cref="PagePathPatterns"/>) and answers 404 for the rest, so the scheduler's JSON API and its
/// health details stay inside the VPC unless <c>exposeSchedulerApi=true</c>.
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
        // The VPC range as a literal (Network.Cidr), so the rule is plain for cdk-nag and a reader alike.
        var clients = settings.InternetFacing ? Peer.Ipv4(settings.AllowedCidr) : Peer.Ipv4(Network.Cidr);
        SecurityGroup.AddIngressRule(clients, Port.Tcp(443), "HTTPS to the operations page");
        SecurityGroup.AddIngressRule(clients, Port.Tcp(80), "HTTP, redirected to HTTPS");
        if (settings.InternetFacing && settings.AllowedCidr == "0.0.0.0/0")
        {
            Nag.Suppress(SecurityGroup, "AwsSolutions-EC23",
                "The internet-facing operations page is meant to be reached from anywhere, only ever behind OpenID Connect sign-in (Cognito with MFA required, or your issuer; synthesis refuses internet-facing without it) and only on the page's paths; -c allowedCidr narrows it, -c albScheme=internal closes it.");
        }

        AccessLogs = new Bucket(this, "AccessLogs", new BucketProps
        {
            // Load balancer access logs accept SSE-S3 only (not KMS).
            Encryption = BucketEncryption.S3_MANAGED,
            EnforceSSL = true,
            BlockPublicAccess = BlockPublicAccess.BLOCK_ALL,
            ObjectOwnership = ObjectOwnership.BUCKET_OWNER_ENFORCED,
            Versioned = false,
            LifecycleRules = [new LifecycleRule { Id = "expire", Expiration = Duration.Days(settings.LogRetentionDays) }],
            // Plain Retain, the one exception to RetainExceptOnCreate, and why: the load balancer writes a test object
            // here as soon as logging is on, so a rolled-back first create could not delete the (non-empty) bucket and
            // would end in ROLLBACK_FAILED. Kept instead, the rollback completes; the bucket has no physical name, so
            // the retry creates a new one beside it (docs/deploy.md "If the first deploy fails"), and the lifecycle
            // rule empties the orphan. AutoDeleteObjects would instead add a Lambda with a managed policy and
            // wildcard bucket-policy actions, and lose the logs with the stack.
            RemovalPolicy = RemovalPolicy.RETAIN,
        });
        Nag.Suppress(AccessLogs, "AwsSolutions-S1",
            "This bucket holds the load balancer's access logs; logging access to the log bucket itself would need another bucket for the same purpose, and nobody but the load balancer writes here.");

        LoadBalancer = new ApplicationLoadBalancer(this, "LoadBalancer", new ApplicationLoadBalancerProps
        {
            Vpc = vpc,
            InternetFacing = settings.InternetFacing,
            VpcSubnets = settings.InternetFacing ? new SubnetSelection { SubnetType = SubnetType.PUBLIC } : platform.Network.TaskSubnets,
            SecurityGroup = SecurityGroup,
            DropInvalidHeaderFields = true,
        });
        LoadBalancer.LogAccessLogs(AccessLogs, "alb");

        var certificate = settings.CertificateArn is { } arn
            ? ListenerCertificate.FromArn(arn)
            : ListenerCertificate.FromCertificateManager(new Certificate(this, "Certificate", new CertificateProps
            {
                DomainName = settings.OperationsHostName!,
                Validation = CertificateValidation.FromDns(Zone(settings)),
            }));
        if (settings.HostedZone is not null)
        {
            _ = new ARecord(this, "Alias", new ARecordProps
            {
                Zone = Zone(settings),
                RecordName = settings.OperationsHostName!,
                Target = RecordTarget.FromAlias(new LoadBalancerTarget(LoadBalancer)),
            });
        }

        _ = LoadBalancer.AddListener("Http", new BaseApplicationListenerProps
        {
            Port = 80,
            Protocol = ApplicationProtocol.HTTP,
            Open = false,
            DefaultAction = ListenerAction.Redirect(new RedirectOptions { Protocol = "HTTPS", Port = "443", Permanent = true }),
        });

        var listener = LoadBalancer.AddListener("Https", new BaseApplicationListenerProps
        {
            Port = 443,
            Protocol = ApplicationProtocol.HTTPS,
            Certificates = [certificate],
            SslPolicy = SslPolicy.RECOMMENDED_TLS,
            // The ingress rule above, not "from anywhere".
            Open = false,
        });

        var exposeApi = settings.SignIn.ExposeSchedulerApi;
        TargetGroup = listener.AddTargets("Scheduler", new AddApplicationTargetsProps
        {
            // Without exposeSchedulerApi, a rule for the page's paths; the default action below answers the rest.
            Priority = exposeApi ? null : 10,
            Conditions = exposeApi ? null : [ListenerCondition.PathPatterns(PagePathPatterns[..5])],
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
        if (!exposeApi)
        {
            // An ALB rule takes at most five path values: the sign-in callbacks in a second rule.
            listener.AddAction("PageSignIn", new AddApplicationActionProps
            {
                Priority = 20,
                Conditions = [ListenerCondition.PathPatterns(PagePathPatterns[5..])],
                Action = ListenerAction.Forward([TargetGroup]),
            });
            listener.AddAction("NotFound", new AddApplicationActionProps
            {
                Action = ListenerAction.FixedResponse(404, new FixedResponseOptions { ContentType = "text/plain", MessageBody = "Not found" }),
            });
        }

        OperationsUrl = settings.OperationsHostName is { } host
            ? $"https://{host}/"
            : $"https://{LoadBalancer.LoadBalancerDnsName}/";
    }

    /// <summary>
    /// The operations page's paths (SurgiCase.Operations' OperationsRoutes, and the OpenID Connect callbacks), as ALB
    /// path patterns: the overview, the page under /ops (its assets too), the emailed acknowledge links, sign-in and
    /// sign-out. Not the JSON API (/jobs, /runs), /openapi, /health or /alive.
    /// </summary>
    public static readonly string[] PagePathPatterns =
    [
        "/", "/ops/*", "/ack/*", "/signin", "/signout",
        OperationsSignIn.CallbackPath, OperationsSignIn.SignedOutCallbackPath, "/signin/*", "/signout/*",
    ];

    public SecurityGroup SecurityGroup { get; }

    public Bucket AccessLogs { get; }

    private IHostedZone? _zone;

    private IHostedZone Zone(DeploymentSettings settings) =>
        _zone ??= HostedZone.FromLookup(this, "Zone", new HostedZoneProviderProps { DomainName = settings.HostedZone! });

    public ApplicationLoadBalancer LoadBalancer { get; }

    public ApplicationTargetGroup TargetGroup { get; }

    /// <summary>The operations page's address, linked from every alert email.</summary>
    public string OperationsUrl { get; }
}
