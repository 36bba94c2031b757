using SurgiCase.Operations.Panels;

namespace SurgiCase.Operations.Tests;

/// <summary>The dead-letter panel (issue 19.4): type, job, reason and age per message, the replay buttons, and poison without one.</summary>
public sealed class DeadLettersPanelTests
{
    private static readonly PanelResult<IReadOnlyList<AlertSummary>> NoAlerts = PanelResult<IReadOnlyList<AlertSummary>>.Ok([]);
    private static readonly PanelResult<SecretsCacheHealth> NoSecrets = PanelResult<SecretsCacheHealth>.Ok(new("Closed", []));

    [Fact]
    public async Task Each_message_shows_type_job_reason_and_age_with_a_replay_button_and_poison_has_none()
    {
        var parked = new DeadLetterSummary("m-1", "e-1", "job-failed.v1", "weekly-provider-payment-report", "Weekly Provider Payment Report",
            "email failed (SES MessageRejected (400)); alert sent to the fallback webhook", false, PageData.Now.AddMinutes(-42), 42 * 60, "fallback-sent");
        var poison = new DeadLetterSummary("m-2", null, "job-failed.v1", null, null, "body is not valid JSON <b>", true, PageData.Now.AddHours(-3), 3 * 3600, null);

        var html = await PageRenderingTests.RenderOverviewAsync([], NoAlerts, NoSecrets,
            PanelResult<DeadLetterListing>.Ok(new("surgicase-job-events-dlq", 2, [parked, poison])));

        var row = Row(html, "m-1");
        Assert.Contains("job-failed.v1", row, StringComparison.Ordinal);
        Assert.Contains("Weekly Provider Payment Report", row, StringComparison.Ordinal);
        Assert.Contains("email failed (SES MessageRejected (400)); alert sent to the fallback webhook", row, StringComparison.Ordinal);
        Assert.Contains("42 min ago", row, StringComparison.Ordinal);
        Assert.Contains("""<form method="post" action="/ops/dead-letters/m-1/replay" """, row, StringComparison.Ordinal);
        Assert.Contains("name=\"__af\"", row, StringComparison.Ordinal);
        var poisonRow = Row(html, "m-2");
        Assert.DoesNotContain("<form", poisonRow, StringComparison.Ordinal);
        Assert.Contains("poison", poisonRow, StringComparison.Ordinal);
        Assert.Contains("body is not valid JSON &lt;b&gt;", poisonRow, StringComparison.Ordinal);
        Assert.Contains("""action="/ops/dead-letters/replay-all" """, html, StringComparison.Ordinal);
        Assert.Contains("data-dead-letters=\"2\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_empty_queue_says_so_without_buttons_and_an_unreachable_one_says_why()
    {
        var empty = await PageRenderingTests.RenderOverviewAsync([], NoAlerts, NoSecrets);
        var failed = await PageRenderingTests.RenderOverviewAsync([], NoAlerts, NoSecrets,
            PanelResult<DeadLetterListing>.Failed("NotificationService answered 502 Bad Gateway."));

        Assert.Contains("The dead-letter queue is empty.", empty, StringComparison.Ordinal);
        Assert.DoesNotContain("replay-all", empty, StringComparison.Ordinal);
        Assert.Contains("<strong>Unavailable.</strong> NotificationService answered 502 Bad Gateway.", failed, StringComparison.Ordinal);
    }

    private static string Row(string html, string messageId)
    {
        var start = html.IndexOf($"data-dead-letter=\"{messageId}\"", StringComparison.Ordinal);
        Assert.True(start >= 0, $"no row for {messageId}");
        return html[start..html.IndexOf("</tr>", start, StringComparison.Ordinal)];
    }
}
