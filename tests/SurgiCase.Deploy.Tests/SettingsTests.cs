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
    public void A_bad_value_names_its_key(string key, string? value)
    {
        var context = CdkJson.ReadContext(RepositoryFolder.Path("deploy", "SurgiCase.Deploy", CdkJson.FileName));
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

    [Fact]
    public void The_repository_cdk_json_is_a_complete_example()
    {
        var context = CdkJson.ReadContext(RepositoryFolder.Path("deploy", "SurgiCase.Deploy", CdkJson.FileName));
        var settings = Read(context);

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
