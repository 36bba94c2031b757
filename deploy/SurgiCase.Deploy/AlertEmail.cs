using Amazon.CDK;
using Amazon.CDK.AWS.SES;
using Constructs;

namespace SurgiCase.Deploy;

/// <summary>
/// The SES v2 identity alerts are sent from, and the configuration set every alert is sent with (so sending,
/// bounces and complaints show per set in CloudWatch). A person verifies the identity once (README).
/// </summary>
internal sealed class AlertEmail : Construct
{
    public AlertEmail(Construct scope, string id, DeploymentSettings settings) : base(scope, id)
    {
        ConfigurationSet = new ConfigurationSet(this, "ConfigurationSet", new ConfigurationSetProps
        {
            ConfigurationSetName = Names.SesConfigurationSet(settings.EnvironmentName),
            ReputationMetrics = true,
            SendingEnabled = true,
            TlsPolicy = ConfigurationSetTlsPolicy.REQUIRE,
        });

        var isDomain = !settings.SesIdentity.Contains('@', StringComparison.Ordinal);
        Identity = new EmailIdentity(this, "Identity", new EmailIdentityProps
        {
            Identity = isDomain ? Amazon.CDK.AWS.SES.Identity.Domain(settings.SesIdentity) : Amazon.CDK.AWS.SES.Identity.Email(settings.SesIdentity),
            ConfigurationSet = ConfigurationSet,
        });

        var stack = Stack.Of(this);
        IdentityArn = stack.FormatArn(new ArnComponents { Service = "ses", Resource = "identity", ResourceName = settings.SesIdentity });
        ConfigurationSetArn = stack.FormatArn(new ArnComponents { Service = "ses", Resource = "configuration-set", ResourceName = Names.SesConfigurationSet(settings.EnvironmentName) });
    }

    public ConfigurationSet ConfigurationSet { get; }

    public EmailIdentity Identity { get; }

    public string IdentityArn { get; }

    public string ConfigurationSetArn { get; }
}
