using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace SurgiCase.Deploy.Tests;

/// <summary>
/// Issue 18.3: the public listener forwards the operations page's paths only and answers 404 for the rest, so the
/// scheduler's JSON API is not reachable through the load balancer unless <c>exposeSchedulerApi=true</c>.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class LoadBalancerRoutingTests
{
    /// <summary>What the page serves, built from its own route constants (SurgiCase.Operations' OperationsRoutes).</summary>
    public static TheoryData<string> PagePaths()
    {
        var routes = Assembly.Load("SurgiCase.Operations").GetType("SurgiCase.Operations.Hosting.OperationsRoutes", throwOnError: true)!;
        string Route(string name) => (string)routes.GetField(name, BindingFlags.Public | BindingFlags.Static)!.GetRawConstantValue()!;
        return
        [
            Route("Overview"), Route("SignIn"), Route("SignOut"),
            Route("Prefix") + "/jobs/weekly-referral-report", Route("Prefix") + "/runs/42/failed-items.txt",
            Route("Assets") + "/operations.css", Route("AcknowledgeLinkPrefix") + "/CfDJ8token",
            "/signin-oidc", "/signout-callback-oidc",
        ];
    }

    public static TheoryData<string> ApiPaths() =>
    [
        "/jobs", "/jobs/weekly-referral-report", "/jobs/weekly-referral-report/run", "/runs/42", "/runs/42/failed-items",
        "/openapi/v1.json", "/health", "/alive", "/secrets/surgicase/api", "/notifications/test", "/jobsx",
    ];

    [Theory]
    [MemberData(nameof(PagePaths))]
    public void Every_page_path_is_forwarded_to_the_scheduler(string path)
    {
        var rules = Rules(SynthesizedStack.Default.Json);

        Assert.Contains(rules, rule => rule.Patterns.Any(pattern => Matches(pattern, path)));
    }

    [Theory]
    [MemberData(nameof(ApiPaths))]
    public void The_json_api_and_health_details_are_answered_404_by_the_load_balancer(string path)
    {
        var json = SynthesizedStack.Default.Json;

        Assert.DoesNotContain(Rules(json), rule => rule.Patterns.Any(pattern => Matches(pattern, path)));
        var fallback = Assert.Single(HttpsListener(json)["DefaultActions"]!.AsArray())!;
        Assert.Equal("fixed-response", (string?)fallback["Type"]);
        Assert.Equal("404", (string?)fallback["FixedResponseConfig"]!["StatusCode"]);
    }

    [Fact]
    public void The_rules_forward_to_the_scheduler_target_group_within_the_albs_limits()
    {
        var json = SynthesizedStack.Default.Json;
        var targetGroup = Assert.Single(json.Resources("AWS::ElasticLoadBalancingV2::TargetGroup")).Id;

        var rules = Rules(json);

        Assert.Equal(2, rules.Count);
        Assert.All(rules, rule =>
        {
            Assert.Equal(targetGroup, rule.TargetGroup);
            // An ALB rule takes at most five condition values.
            Assert.InRange(rule.Patterns.Count, 1, 5);
        });
        Assert.Equal(SurgiCase.Deploy.OperationsLoadBalancer.PagePathPatterns.Order(), rules.SelectMany(r => r.Patterns).Order());
    }

    [Fact]
    public void Exposing_the_scheduler_api_forwards_everything()
    {
        var json = SynthesizedStack.With(new Dictionary<string, object> { ["exposeSchedulerApi"] = "true" }).Json;

        Assert.Empty(Rules(json));
        var forward = Assert.Single(HttpsListener(json)["DefaultActions"]!.AsArray())!;
        Assert.Equal("forward", (string?)forward["Type"]);
        Assert.Equal(json.Resources("AWS::ElasticLoadBalancingV2::TargetGroup").Single().Id, (string?)forward["TargetGroupArn"]!["Ref"]);
    }

    private sealed record Rule(string TargetGroup, IReadOnlyList<string> Patterns);

    private static JsonObject HttpsListener(TemplateJson json) =>
        Assert.Single(json.Resources("AWS::ElasticLoadBalancingV2::Listener"), l => (int)l.Resource["Properties"]!["Port"]! == 443).Resource["Properties"]!.AsObject();

    private static List<Rule> Rules(TemplateJson json) =>
    [
        .. json.Resources("AWS::ElasticLoadBalancingV2::ListenerRule").Select(r =>
        {
            var properties = r.Resource["Properties"]!;
            var action = Assert.Single(properties["Actions"]!.AsArray())!;
            Assert.Equal("forward", (string?)action["Type"]);
            var condition = Assert.Single(properties["Conditions"]!.AsArray())!;
            Assert.Equal("path-pattern", (string?)condition["Field"]);
            return new Rule((string)action["TargetGroupArn"]!["Ref"]!,
                [.. condition["PathPatternConfig"]!["Values"]!.AsArray().Select(v => (string)v!)]);
        }),
    ];

    /// <summary>An ALB path pattern: case-sensitive, <c>*</c> any characters, <c>?</c> exactly one.</summary>
    private static bool Matches(string pattern, string path) =>
        Regex.IsMatch(path, "^" + Regex.Escape(pattern).Replace("\\*", ".*", StringComparison.Ordinal).Replace("\\?", ".", StringComparison.Ordinal) + "$");
}
