using Amazon.CDK;
using SurgiCase.Testing;

namespace SurgiCase.Deploy.Tests;

/// <summary>A bad or missing deployment setting stops the synthesis with a message naming the context key.</summary>
[Collection(StackCollection.Name)]
public sealed class SettingsTests
{
    [Theory]
    [InlineData("certificateArn", null)]
    [InlineData("certificateArn", "not-an-arn")]
    [InlineData("senderAddress", "alerts at example.com")]
    [InlineData("alarmEmail", null)]
    [InlineData("imageTag", "")]
    [InlineData("albScheme", "public")]
    [InlineData("schedulerTasks", "0")]
    [InlineData("logRetentionDays", "42")]
    [InlineData("surgicaseApiBaseAddress", "api.example")]
    [InlineData("sesIdentity", "other.example")]
    [InlineData("sesIdentity", "someone@example.com")]
    [InlineData("imageTag", null)]
    [InlineData("senderAddress", null)]
    [InlineData("region", null)]
    [InlineData("databaseEngineVersion", "15.7")]
    [InlineData("signIn", "password")]
    [InlineData("oidcAuthority", "http://idp.example/")]
    [InlineData("cognitoDomainPrefix", "SurgiCase_Ops")]
    [InlineData("exposeSchedulerApi", "yes")]
    public void A_bad_value_names_its_key(string key, string? value)
    {
        var context = SynthesizedStack.BaseContext();
        if (value is null)
        {
            context.Remove(key);
        }
        else
        {
            context[key] = value;
        }

        var error = Assert.Throws<ContextException>(() => Read(context));

        Assert.Equal(key, error.Key);
        Assert.Contains($"'{key}'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("imageTag")]
    [InlineData("senderAddress")]
    [InlineData("alarmEmail")]
    [InlineData("certificateArn")]
    public void The_repository_cdk_json_holds_no_example_for_a_required_key_and_synthesis_without_it_names_it(string key)
    {
        var cdkJson = CdkJson.ReadContext(RepositoryFolder.Path("deploy", "SurgiCase.Deploy", CdkJson.FileName));
        Assert.DoesNotContain(key, cdkJson.Keys);
        var context = SynthesizedStack.BaseContext();
        context.Remove(key);

        var error = Assert.Throws<ContextException>(() => Read(context));

        Assert.Equal(key, error.Key);
    }

    [Theory]
    [InlineData("https://api.surgicase.example/", "0", true)]
    [InlineData("https://api.surgicase.example/", "1", false)]
    [InlineData("http://10.1.2.3/", "0", false)]
    [InlineData("http://surgicase-api.internal/", "0", false)]
    public void An_api_outside_the_vpc_without_nat_stops_with_one_line_naming_both_keys(string address, string nat, bool stops)
    {
        var context = SynthesizedStack.BaseContext();
        context["surgicaseApiBaseAddress"] = address;
        context["natGateways"] = nat;

        if (!stops)
        {
            Assert.Equal(new Uri(address), Read(context).SurgiCaseApiBaseAddress);
            return;
        }

        var error = Assert.Throws<ContextException>(() => Read(context));
        Assert.Equal("surgicaseApiBaseAddress", error.Key);
        Assert.Contains("'natGateways'", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void An_internet_facing_load_balancer_needs_openid_connect_sign_in()
    {
        var context = SynthesizedStack.BaseContext();
        context["signIn"] = "operator-key";

        var error = Assert.Throws<ContextException>(() => Read(context));

        Assert.Equal("albScheme", error.Key);
        Assert.Contains("signIn", error.Message, StringComparison.Ordinal);
        context["albScheme"] = "internal";
        Assert.Equal(SignInKind.OperatorKey, Read(context).SignIn.Kind);
        Assert.Equal(SignInKind.Cognito, Read(SynthesizedStack.BaseContext()).SignIn.Kind);
    }

    [Theory]
    [InlineData("oidcClientId", null)]
    [InlineData("oidcClientSecretArn", null)]
    [InlineData("oidcClientSecretArn", "okta/surgicase-ops")]
    public void An_external_issuer_needs_its_client_and_secret_arn(string key, string? value)
    {
        var context = SynthesizedStack.BaseContext();
        context["oidcAuthority"] = "https://login.example.com/";
        context["oidcClientId"] = "surgicase";
        context["oidcClientSecretArn"] = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:okta-AbCdEf";
        Assert.Equal(SignInKind.ExternalIssuer, Read(context).SignIn.Kind);
        if (value is null)
        {
            context.Remove(key);
        }
        else
        {
            context[key] = value;
        }

        Assert.Equal(key, Assert.Throws<ContextException>(() => Read(context)).Key);
        context["signIn"] = "cognito";
        Assert.Equal("signIn", Assert.Throws<ContextException>(() => Read(context)).Key);
    }

    [Fact]
    public void A_hosted_zone_replaces_the_certificate_arn_but_needs_a_host_name_in_it()
    {
        var context = SynthesizedStack.BaseContext();
        context.Remove("certificateArn");
        context["hostedZone"] = "surgicase.example";
        context["account"] = "123456789012";
        context["operationsHostName"] = "ops.other.example";

        Assert.Equal("operationsHostName", Assert.Throws<ContextException>(() => Read(context)).Key);
        context["operationsHostName"] = "ops.surgicase.example";
        Assert.Null(Read(context).CertificateArn);
    }

    [Fact]
    public void The_repository_cdk_json_with_the_ci_examples_is_a_complete_context()
    {
        var settings = Read(SynthesizedStack.BaseContext());

        Assert.Equal("SurgiCase-production", settings.StackName);
        Assert.Equal(0, settings.NatGateways);
        Assert.True(settings.DeploysApiSimulator);
        Assert.Equal(2, settings.SchedulerTasks);
    }

    private static DeploymentSettings Read(Dictionary<string, object> context)
    {
        // An app without an output folder would leave an empty temporary one behind.
        var outdir = Directory.CreateTempSubdirectory("surgicase-cdk-");
        try
        {
            return DeploymentSettings.FromContext(new App(new AppProps { Context = context, Outdir = outdir.FullName }).Node);
        }
        finally
        {
            outdir.Delete(recursive: true);
        }
    }
}
