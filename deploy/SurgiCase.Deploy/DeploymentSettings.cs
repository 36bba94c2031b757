using System.Globalization;
using System.Net.Mail;
using Constructs;

namespace SurgiCase.Deploy;

/// <summary>
/// One environment's settings, read from CDK context (<c>cdk.json</c>, <c>cdk.context.json</c> or <c>-c key=value</c>).
/// A missing or malformed value stops the synthesis with a message naming the context key.
/// </summary>
internal sealed record DeploymentSettings
{
    public required string EnvironmentName { get; init; }

    /// <summary>Null leaves the stack environment-agnostic (the CLI's profile decides at deploy time).</summary>
    public string? Account { get; init; }

    public string? Region { get; init; }

    /// <summary>The tag of every service image in ECR; deploying the previous tag is the rollback.</summary>
    public required string ImageTag { get; init; }

    /// <summary>The SES identity alerts are sent from (an address, or the domain part when <see cref="SesIdentity"/> is a domain).</summary>
    public required string SenderAddress { get; init; }

    /// <summary>The SES identity to create: the sender address itself, or its domain.</summary>
    public required string SesIdentity { get; init; }

    /// <summary>Receives the CloudWatch alarms (through SNS) and is the alerts' last-resort recipient.</summary>
    public required string AlarmEmail { get; init; }

    /// <summary>ACM certificate of the operations page's HTTPS listener.</summary>
    public required string CertificateArn { get; init; }

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

    /// <summary>0 by default: the VPC endpoints reach AWS. Slack and an API outside the VPC need 1 or more.</summary>
    public required int NatGateways { get; init; }

    /// <summary>Interface endpoint for the SES v2 API; off where the region has none (then NAT is needed).</summary>
    public required bool SesApiEndpoint { get; init; }

    public required int LogRetentionDays { get; init; }

    public required bool DatabaseMultiAz { get; init; }

    public required string DatabaseInstanceType { get; init; }

    /// <summary>AWS Distro for OpenTelemetry collector image tag, pulled through the ECR cache of ECR Public.</summary>
    public required string AdotVersion { get; init; }

    /// <summary>
    /// Creates the account's ECR pull-through cache rule for ECR Public (prefix <c>ecr-public</c>). One per account and
    /// region: turn it off for the second environment in the same account and region.
    /// </summary>
    public required bool AdotPullThroughCache { get; init; }

    /// <summary>
    /// ECS Exec into the tasks (off by default): the way to send the first test alert from inside the VPC. Adds the
    /// ssmmessages endpoint and the ssmmessages actions, which AWS authorizes on Resource "*" only.
    /// </summary>
    public required bool ExecuteCommand { get; init; }

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

        var certificateArn = context.Required("certificateArn");
        if (!certificateArn.StartsWith("arn:", StringComparison.Ordinal) || !certificateArn.Contains(":acm:", StringComparison.Ordinal))
        {
            throw new ContextException("certificateArn", "must be the ARN of an ACM certificate (arn:aws:acm:…)");
        }

        var environmentName = context.Optional("environment") ?? "production";
        if (!environmentName.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
        {
            throw new ContextException("environment", "may hold letters, digits and '-' only");
        }

        return new DeploymentSettings
        {
            EnvironmentName = environmentName,
            Account = context.Optional("account") ?? System.Environment.GetEnvironmentVariable("CDK_DEFAULT_ACCOUNT"),
            Region = context.Optional("region") ?? System.Environment.GetEnvironmentVariable("CDK_DEFAULT_REGION"),
            ImageTag = context.Required("imageTag"),
            SenderAddress = sender,
            SesIdentity = sesIdentity,
            AlarmEmail = context.Email("alarmEmail"),
            CertificateArn = certificateArn,
            InternetFacing = scheme == "internet-facing",
            AllowedCidr = context.Optional("allowedCidr") ?? "0.0.0.0/0",
            OperationsHostName = context.Optional("operationsHostName"),
            SurgiCaseApiBaseAddress = context.AbsoluteUri("surgicaseApiBaseAddress"),
            SchedulerTasks = context.Int("schedulerTasks", 2, 1, 10),
            NotificationTasks = context.Int("notificationTasks", 2, 1, 10),
            SecretsTasks = context.Int("secretsTasks", 2, 1, 10),
            NatGateways = context.Int("natGateways", 0, 0, 3),
            SesApiEndpoint = context.Bool("sesApiEndpoint", true),
            LogRetentionDays = retention,
            DatabaseMultiAz = context.Bool("databaseMultiAz", true),
            DatabaseInstanceType = context.Optional("databaseInstanceType") ?? "t4g.small",
            AdotVersion = context.Optional("adotVersion") ?? "v0.40.0",
            AdotPullThroughCache = context.Bool("adotPullThroughCache", true),
            ExecuteCommand = context.Bool("executeCommand", false),
        };
    }

    /// <summary>Typed reads of context values, which arrive as strings from <c>-c</c> and as JSON values from cdk.json.</summary>
    private sealed class ContextReader(Node node)
    {
        public string? Optional(string key) =>
            node.TryGetContext(key) switch
            {
                null => null,
                string s when string.IsNullOrWhiteSpace(s) => null,
                var value => Convert.ToString(value, CultureInfo.InvariantCulture)?.Trim(),
            };

        public string Required(string key) =>
            Optional(key) ?? throw new ContextException(key, "is required");

        public string Email(string key)
        {
            var value = Required(key);
            return MailAddress.TryCreate(value, out var address) && address.Address == value
                ? value
                : throw new ContextException(key, $"'{value}' is not an email address");
        }

        public int Int(string key, int fallback, int min, int max)
        {
            var text = Optional(key);
            if (text is null)
            {
                return fallback;
            }

            return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
                ? value
                : throw new ContextException(key, $"'{text}' must be a whole number from {min} to {max}");
        }

        public bool Bool(string key, bool fallback) =>
            Optional(key) switch
            {
                null => fallback,
                var text when bool.TryParse(text, out var value) => value,
                var text => throw new ContextException(key, $"'{text}' must be true or false"),
            };

        public Uri? AbsoluteUri(string key)
        {
            var text = Optional(key);
            if (text is null)
            {
                return null;
            }

            return Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
                ? uri
                : throw new ContextException(key, $"'{text}' must be an absolute http(s) URL");
        }
    }
}

/// <summary>A bad deployment setting; the message names the context key.</summary>
internal sealed class ContextException(string key, string problem)
    : Exception($"CDK context '{key}' {problem}. Set it in cdk.json or pass -c {key}=…")
{
    public string Key { get; } = key;
}
