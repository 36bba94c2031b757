using SurgiCase.Operations.Components.Overview;
using SurgiCase.Operations.Panels;

namespace SurgiCase.Operations.Tests;

/// <summary>The recent-alerts list says how loud each alert was.</summary>
public sealed class AlertSeverityBadgeTests
{
    [Theory]
    [InlineData("critical", """<span class="badge badge--failed">critical</span>""")]
    [InlineData("warning", """<span class="badge badge--partial">warning</span>""")]
    public async Task A_failure_alert_shows_its_severity(string severity, string badge)
    {
        var html = await RenderAsync(Alert("job-failed.v1", severity));

        Assert.Contains(badge, html, StringComparison.Ordinal);
        Assert.Contains("""<span class="badge badge--failed">failed</span>""", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("resolved")]
    [InlineData(null)]
    public async Task A_recovery_or_an_alert_logged_before_severities_gets_no_severity_badge(string? severity)
    {
        var html = await RenderAsync(Alert("job-recovered.v1", severity));

        Assert.Single(html.Split("class=\"badge ").Skip(1));
        Assert.Contains("""<span class="badge badge--ok">recovered</span>""", html, StringComparison.Ordinal);
    }

    private static AlertSummary Alert(string messageType, string? severity) =>
        new(7, messageType, "pool-stats", "Pool Stats", "HttpStatus", "subject", "sent", "email", [], PageData.Now, PageData.Now, null, severity);

    private static Task<string> RenderAsync(AlertSummary alert) =>
        ComponentHtml.RenderAsync<AlertItem>(new Dictionary<string, object?>
        {
            [nameof(AlertItem.Page)] = PageData.Page(),
            [nameof(AlertItem.Alert)] = alert,
        });
}
