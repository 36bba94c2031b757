using System.Text.Json.Nodes;
using Amazon.CDK;
using Amazon.CDK.Assertions;
using SurgiCase.Deploy;
using SurgiCase.Testing;

namespace SurgiCase.Deploy.Tests;

/// <summary>
/// The stack synthesized offline from the repository's cdk.json context plus overrides, once per variant: the
/// template as the CDK assertions see it, and as JSON for the checks the assertions cannot express.
/// </summary>
public sealed class SynthesizedStack
{
    public const string AlarmEmail = "oncall@example.org";

    private SynthesizedStack(IReadOnlyDictionary<string, object> overrides)
    {
        var context = BaseContext();
        context["alarmEmail"] = AlarmEmail;
        foreach (var (key, value) in overrides)
        {
            context[key] = value;
        }

        var outdir = Directory.CreateTempSubdirectory("surgicase-cdk-");
        try
        {
            var app = new App(new AppProps { Outdir = outdir.FullName, Context = context });
            var stack = new SurgiCaseStack(app, DeploymentSettings.FromContext(app.Node));
            app.Synth();
            Stack = stack;
            Template = Template.FromStack(stack);
            Json = new TemplateJson(JsonNode.Parse(File.ReadAllText(Path.Combine(outdir.FullName, $"{stack.StackName}.template.json")))!);
        }
        finally
        {
            outdir.Delete(recursive: true);
        }
    }

    /// <summary>cdk.json's context (no values for the required keys) plus ci.context.json's examples of them.</summary>
    public static Dictionary<string, object> BaseContext()
    {
        var context = CdkJson.ReadContext(RepositoryFolder.Path("deploy", "SurgiCase.Deploy", CdkJson.FileName));
        foreach (var (key, value) in CdkJson.ReadContext(RepositoryFolder.Path("deploy", "SurgiCase.Deploy", CdkJson.CiContextFileName)))
        {
            context[key] = value;
        }

        return context;
    }

    /// <summary>A variant with these context values over the base context (not cached: each call synthesizes).</summary>
    public static SynthesizedStack With(IReadOnlyDictionary<string, object> overrides) => new(overrides);

    /// <summary>The default environment: internet-facing page, API simulator deployed, no NAT.</summary>
    public static SynthesizedStack Default => DefaultVariant.Value;

    /// <summary>A production-like variant: the real SurgiCase API, an internal load balancer, one NAT gateway, ECS Exec on.</summary>
    public static SynthesizedStack InternalWithApi => InternalVariant.Value;

    internal SurgiCaseStack Stack { get; }

    public Template Template { get; }

    public TemplateJson Json { get; }

    /// <summary>The default stack as environment <c>staging</c>, beside <see cref="Default"/> (production).</summary>
    public static SynthesizedStack Staging => StagingVariant.Value;

    private static readonly Lazy<SynthesizedStack> StagingVariant = new(() => new SynthesizedStack(new Dictionary<string, object>
    {
        ["environment"] = "staging",
        ["senderAddress"] = "alerts-staging@surgicase.example",
    }));

    private static readonly Lazy<SynthesizedStack> DefaultVariant = new(() => new SynthesizedStack(new Dictionary<string, object>()));

    private static readonly Lazy<SynthesizedStack> InternalVariant = new(() => new SynthesizedStack(new Dictionary<string, object>
    {
        ["environment"] = "staging-internal",
        ["albScheme"] = "internal",
        ["surgicaseApiBaseAddress"] = "https://api.surgicase.example/",
        ["natGateways"] = "1",
        ["operationsHostName"] = "ops.surgicase.example",
        ["executeCommand"] = "true",
    }));
}

/// <summary>
/// jsii runs one Node process per test process and is not meant for concurrent calls, so every test that touches the
/// CDK runs in this one collection.
/// </summary>
[CollectionDefinition(Name)]
public sealed class StackCollection
{
    public const string Name = "synthesized stack";
}
