using Constructs;

namespace SurgiCase.Deploy;

/// <summary>
/// One environment's settings, read from CDK context (<c>cdk.json</c>, <c>cdk.context.json</c> or <c>-c key=value</c>).
/// A missing or malformed value stops the synthesis with a message naming the context key.
/// </summary>
internal sealed record DeploymentSettings
{
    public required string EnvironmentName { get; init; }

    /// <summary>Null leaves the account to the CLI's profile at deploy time.</summary>
    public string? Account { get; init; }

    /// <summary>Required (the CLI passes its profile's): the access-log bucket policy names the region's ELB account.</summary>
    public required string Region { get; init; }

    /// <summary>The tag of every service image in ECR; deploying the previous tag is the rollback.</summary>
    public required string ImageTag { get; init; }

    /// <summary>The SES identity alerts are sent from (an address, or the domain part when <see cref="SesIdentity"/> is a domain).</summary>
    public required string SenderAddress { get; init; }

    /// <summary>The SES identity to create: the sender address itself, or its domain.</summary>
    public required string SesIdentity { get; init; }

    /// <summary>Receives the CloudWatch alarms (through SNS) and is the alerts' last-resort recipient.</summary>
    public required string AlarmEmail { get; init; }

    /// <summary>ACM certificate of the operations page's HTTPS listener; null when <see cref="HostedZone"/> creates one.</summary>
    public string? CertificateArn { get; init; }

    /// <summary>
    /// A Route 53 public hosted zone (its domain name, looked up by the CDK CLI): the stack then creates the certificate
    /// (validated by DNS in that zone) and the alias record of <see cref="OperationsHostName"/>, as ecs-patterns does.
    /// </summary>
    public string? HostedZone { get; init; }

    public required bool InternetFacing { get; init; }

    /// <summary>Who may reach the operations page's listener.</summary>
    public required string AllowedCidr { get; init; }

    /// <summary>Host name the certificate is for; the alerts link there. Null: the load balancer's own DNS name.</summary>
    public string? OperationsHostName { get; init; }

    /// <summary>The SurgiCase API the report jobs call. Null deploys the API simulator (demo/staging).</summary>
    public Uri? SurgiCaseApiBaseAddress { get; init; }

    public required int SchedulerTasks { get; init; }

    public required int NotificationTasks { get; init; }

    public required int SecretsTasks { get; init; }

    /// <summary>The most notification tasks the queue-backlog scaling may start (at least <see cref="NotificationTasks"/>).</summary>
    public required int NotificationMaxTasks { get; init; }

    /// <summary>
    /// RDS deletion protection. Off by default because it would turn a failed first create into ROLLBACK_FAILED (the
    /// rollback cannot delete a protected instance); the instance is retained on stack deletion either way. Turn it on
    /// with a second deploy once the first succeeded (docs/deploy.md).
    /// </summary>
    public required bool DatabaseDeletionProtection { get; init; }

    /// <summary>0 by default: the VPC endpoints reach AWS. Slack and an API outside the VPC need 1 or more.</summary>
    public required int NatGateways { get; init; }

    /// <summary>Interface endpoint for the SES v2 API; off where the region has none (then NAT is needed).</summary>
    public required bool SesApiEndpoint { get; init; }

    public required int LogRetentionDays { get; init; }

    public required bool DatabaseMultiAz { get; init; }

    public required string DatabaseInstanceType { get; init; }

    /// <summary>PostgreSQL version at creation (16 or 17, full version); RDS applies later minor versions itself.</summary>
    public required string DatabaseEngineVersion { get; init; }

    /// <summary>
    /// ECS Exec into the tasks (off by default): the way to send the first test alert from inside the VPC. Adds the
    /// ssmmessages endpoint and the ssmmessages actions, which AWS authorizes on Resource "*" only.
    /// </summary>
    public required bool ExecuteCommand { get; init; }

    /// <summary>How people sign in to the operations page, and what the load balancer forwards.</summary>
    public required SignInSettings SignIn { get; init; }

    public bool DeploysApiSimulator => SurgiCaseApiBaseAddress is null;

    public string StackName => $"SurgiCase-{EnvironmentName}";

    // The retention periods CloudWatch Logs accepts.
    private static readonly int[] RetentionDays =
        [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

    public static DeploymentSettings FromContext(Node node)
    {
        var context = new ContextReader(node);
        var sender = context.Email("senderAddress");
        // The identity the notification service may send from must be the sender itself or its domain.
        var sesIdentity = context.Optional("sesIdentity") ?? sender;
        var covers = sesIdentity.Contains('@', StringComparison.Ordinal)
            ? string.Equals(sesIdentity, sender, StringComparison.OrdinalIgnoreCase)
            : sender.EndsWith("@" + sesIdentity, StringComparison.OrdinalIgnoreCase);
        if (!covers)
        {
            throw new ContextException("sesIdentity", $"'{sesIdentity}' must be senderAddress '{sender}' or its domain");
        }

        var retention = context.Int("logRetentionDays", 90, 1, 3653);
        if (!RetentionDays.Contains(retention))
        {
            throw new ContextException("logRetentionDays", $"must be one of {string.Join(", ", RetentionDays)}");
        }

        var scheme = context.Optional("albScheme") ?? "internet-facing";
        if (scheme is not ("internet-facing" or "internal"))
        {
            throw new ContextException("albScheme", "must be 'internet-facing' or 'internal'");
        }

        var hostedZone = context.Optional("hostedZone");
        var operationsHostName = context.Optional("operationsHostName");
        var account = context.Optional("account") ?? System.Environment.GetEnvironmentVariable("CDK_DEFAULT_ACCOUNT");
        var region = context.Optional("region") ?? System.Environment.GetEnvironmentVariable("CDK_DEFAULT_REGION");
        if (region is null)
        {
            // The CLI passes its profile's region; only a bare synthesis can lack it.
            throw new ContextException("region", "is required (or a CLI profile with a region): the load balancer's access logs are delivered by the region's ELB account");
        }

        var certificateArn = hostedZone is null ? context.Required("certificateArn") : context.Optional("certificateArn");
        if (certificateArn is not null
            && (!certificateArn.StartsWith("arn:", StringComparison.Ordinal) || !certificateArn.Contains(":acm:", StringComparison.Ordinal)))
        {
            throw new ContextException("certificateArn", "must be the ARN of an ACM certificate (arn:aws:acm:…)");
        }

        if (hostedZone is not null)
        {
            if (operationsHostName is null || !operationsHostName.EndsWith("." + hostedZone, StringComparison.OrdinalIgnoreCase))
            {
                throw new ContextException("operationsHostName", $"'{operationsHostName}' must be a host name in hostedZone '{hostedZone}'");
            }

            if (account is null)
            {
                throw new ContextException("hostedZone", "needs the account (-c account=…, or a CLI profile) to look the zone up");
            }
        }

        var engineVersion = context.Optional("databaseEngineVersion") ?? "16.8";
        if (!System.Text.RegularExpressions.Regex.IsMatch(engineVersion, @"^1[67]\.[0-9]+$"))
        {
            throw new ContextException("databaseEngineVersion", $"'{engineVersion}' must be a PostgreSQL 16 or 17 version RDS creates, e.g. 16.8");
        }

        var natGateways = context.Int("natGateways", 0, 0, 3);
        var apiBaseAddress = context.AbsoluteUri("surgicaseApiBaseAddress");
        if (apiBaseAddress is not null && natGateways == 0 && !IsInsideVpc(apiBaseAddress))
        {
            throw new ContextException("surgicaseApiBaseAddress",
                $"'{apiBaseAddress}' is outside the VPC, which has no route out with 'natGateways' 0: pass -c natGateways=1");
        }

        var environmentName = context.Optional("environment") ?? "production";
        if (!environmentName.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
        {
            throw new ContextException("environment", "may hold letters, digits and '-' only");
        }

        return new DeploymentSettings
        {
            EnvironmentName = environmentName,
            Account = account,
            Region = region,
            ImageTag = context.Required("imageTag"),
            SenderAddress = sender,
            SesIdentity = sesIdentity,
            AlarmEmail = context.Email("alarmEmail"),
            CertificateArn = certificateArn,
            HostedZone = hostedZone,
            InternetFacing = scheme == "internet-facing",
            AllowedCidr = context.Optional("allowedCidr") ?? "0.0.0.0/0",
            OperationsHostName = operationsHostName,
            SurgiCaseApiBaseAddress = apiBaseAddress,
            SchedulerTasks = context.Int("schedulerTasks", 2, 1, 10),
            NotificationTasks = context.Int("notificationTasks", 2, 1, 10),
            SecretsTasks = context.Int("secretsTasks", 2, 1, 10),
            NotificationMaxTasks = context.Int("notificationMaxTasks", 6, 1, 20),
            DatabaseDeletionProtection = context.Bool("databaseDeletionProtection", false),
            NatGateways = natGateways,
            SesApiEndpoint = context.Bool("sesApiEndpoint", true),
            LogRetentionDays = retention,
            DatabaseMultiAz = context.Bool("databaseMultiAz", true),
            DatabaseInstanceType = context.Optional("databaseInstanceType") ?? "t4g.small",
            DatabaseEngineVersion = engineVersion,
            ExecuteCommand = context.Bool("executeCommand", false),
            SignIn = SignInSettings.FromContext(context, internetFacing: scheme == "internet-facing"),
        };
    }

    /// <summary>
    /// Whether the jobs reach the address without NAT: a private IPv4 address, or a name only resolvable inside the
    /// VPC (<c>*.internal</c>, <c>*.local</c>, a single label). Anything else is taken to be outside.
    /// </summary>
    public static bool IsInsideVpc(Uri address)
    {
        if (System.Net.IPAddress.TryParse(address.Host, out var ip))
        {
            var b = ip.GetAddressBytes();
            return b.Length == 4 && (b[0] == 10 || (b[0] == 172 && b[1] is >= 16 and <= 31) || (b[0] == 192 && b[1] == 168));
        }

        return !address.Host.Contains('.', StringComparison.Ordinal)
            || address.Host.EndsWith(".internal", StringComparison.OrdinalIgnoreCase)
            || address.Host.EndsWith(".local", StringComparison.OrdinalIgnoreCase);
    }
}
