using SurgiCase.Operations.Components.Pages;
using SurgiCase.Operations.Jobs;
using SurgiCase.Operations.Panels;

namespace SurgiCase.Operations.Tests;

/// <summary>The page's pure parts: schedules in words, badges and buttons by job state, and that data can never become markup.</summary>
public sealed class PageRenderingTests
{
    [Theory]
    [InlineData("0 0/15 * * * ?", "Every 15 minutes")]
    [InlineData("0 */5 * * * ?", "Every 5 minutes")]
    [InlineData("0 * * * * ?", "Every minute")]
    [InlineData("0/10 * * * * ?", "Every 10 seconds")]
    [InlineData("0 0 8 * * ?", "Daily at 08:00")]
    [InlineData("0 30 17 ? * *", "Daily at 17:30")]
    [InlineData("0 0 9 ? * MON", "Weekly on Monday at 09:00")]
    [InlineData("0 15 9 ? * 2", "Weekly on Monday at 09:15")]
    [InlineData("0 0 8 ? * TUE,THU", "Weekly on Tuesday and Thursday at 08:00")]
    [InlineData("0 0 7 ? * MON-FRI", "Weekdays at 07:00")]
    [InlineData("0 20 * * * ?", "Hourly at :20")]
    public void Common_cron_shapes_are_put_in_words(string cron, string words) =>
        Assert.Equal(words, CronDescription.Words(cron));

    [Theory]
    [InlineData("0 0 9 1 * ?")]
    [InlineData("0 0 9 ? 1 MON")]
    [InlineData("0 0 9 ? * MON#2")]
    [InlineData("not a cron")]
    public void Other_shapes_fall_back_to_the_cron(string cron) =>
        Assert.Equal(cron, CronDescription.Describe(cron, "UTC"));

    [Fact]
    public async Task Job_names_and_error_text_are_html_encoded()
    {
        const string evil = "<script>alert(1)</script>\"'&";
        var run = PageData.Run("run-1", RunOutcomeNames.Failed, evil, "abc") with { RequestedBy = evil };
        var job = PageData.Overview(PageData.Job("evil-job", evil), run);
        var alert = new AlertSummary(1, "job-failed.v1", "evil-job", evil, null, evil, "sent", null, [], PageData.Now, PageData.Now, evil) { RequestedBy = evil };

        var overview = await RenderOverviewAsync([job], PanelResult<IReadOnlyList<AlertSummary>>.Ok([alert]), PanelResult<SecretsCacheHealth>.Failed(evil));
        var history = await RenderHistoryAsync(new JobHistory(job, [run], 1, [new JobActionInfo("pause", evil, PageData.Now)]));
        var preview = await ComponentHtml.RenderAsync<AlertPreviewPage>(new Dictionary<string, object?>
        {
            [nameof(AlertPreviewPage.Page)] = PageData.Page(),
            [nameof(AlertPreviewPage.Id)] = 1L,
            [nameof(AlertPreviewPage.Summary)] = PanelResult<AlertSummary>.Ok(alert),
        });

        Assert.Contains("Test alert sent by &lt;script&gt;", overview, StringComparison.Ordinal);
        foreach (var rendered in new[] { overview, history, preview })
        {
            Assert.DoesNotContain("<script>", rendered, StringComparison.Ordinal);
            Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#x27;&amp;", rendered, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Each_job_wears_the_badge_of_what_needs_attention_first_and_offers_only_the_buttons_that_apply()
    {
        var jobs = new[]
        {
            PageData.Overview(PageData.Job("failed-job"), PageData.Run("r1", RunOutcomeNames.Failed, "HTTP status 500")),
            PageData.Overview(PageData.Job("paused-job"), PageData.Run("r2", RunOutcomeNames.Failed), new PauseInfo("operator", PageData.Now)),
            PageData.Overview(PageData.Job("running-job"), PageData.Run("r3", RunOutcomeNames.Running), new PauseInfo("operator", PageData.Now)),
            PageData.Overview(PageData.Job("overdue-job"), missed: PageData.Now.AddHours(-1)),
            PageData.Overview(PageData.Job("disabled-job", enabled: false), PageData.Run("r4", RunOutcomeNames.Failed)),
            PageData.Overview(PageData.Job("new-job")),
        };

        var html = await RenderOverviewAsync(jobs, PanelResult<IReadOnlyList<AlertSummary>>.Ok([]), PanelResult<SecretsCacheHealth>.Ok(new("Closed", [])));

        Assert.Equal("failed", StatusOf(html, "failed-job"));
        Assert.Equal("paused", StatusOf(html, "paused-job"));
        Assert.Equal("running", StatusOf(html, "running-job"));
        Assert.Equal("overdue", StatusOf(html, "overdue-job"));
        Assert.Equal("idle", StatusOf(html, "disabled-job"));
        Assert.Equal("idle", StatusOf(html, "new-job"));
        Assert.Equal(["run", "pause"], ActionsOf(html, "failed-job"));
        Assert.Equal(["run", "resume"], ActionsOf(html, "paused-job"));
        Assert.Empty(ActionsOf(html, "disabled-job"));
        Assert.Contains("""<span class="tile__count">1</span><span class="tile__label">overdue</span>""", html, StringComparison.Ordinal);
        Assert.Contains("No alerts yet.", html, StringComparison.Ordinal);
        Assert.Contains("Nothing cached yet.", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_run_links_to_its_trace_in_the_dashboard()
    {
        const string traceId = "0123456789abcdef0123456789abcdef";
        var run = PageData.Run("run-1", RunOutcomeNames.Failed, "boom", traceId);

        var html = await RenderHistoryAsync(new JobHistory(PageData.Overview(PageData.Job("job-a"), run), [run], 1, []));

        Assert.Contains($"""href="http://localhost:18888/traces/detail/{traceId}" target="_blank" rel="noopener noreferrer" """, html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_severity_a_run_was_alerted_with_shows_in_the_job_list_and_the_run_history()
    {
        var warned = PageData.Run("run-w", RunOutcomeNames.Failed, "HTTP status 503") with { Severity = "warning" };
        var critical = PageData.Run("run-c", RunOutcomeNames.Partial) with { Severity = "critical" };
        var quiet = PageData.Run("run-q", RunOutcomeNames.Partial);

        var overview = await RenderOverviewAsync([PageData.Overview(PageData.Job("pool-stats", critical: false), warned)],
            PanelResult<IReadOnlyList<AlertSummary>>.Ok([]), PanelResult<SecretsCacheHealth>.Ok(new("Closed", [])));
        var history = await RenderHistoryAsync(new JobHistory(PageData.Overview(PageData.Job("job-a"), critical), [critical, quiet], 2, []));

        Assert.Contains("""class="tag tag--warning tag--severity" data-severity="warning" """, Row(overview, "pool-stats"), StringComparison.Ordinal);
        Assert.Contains("""data-severity="critical" """, RunRow(history, "run-c"), StringComparison.Ordinal);
        Assert.DoesNotContain("data-severity", RunRow(history, "run-q"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_side_panel_that_failed_says_why_and_the_page_still_renders()
    {
        var html = await RenderOverviewAsync([PageData.Overview(PageData.Job("job-a"))],
            PanelResult<IReadOnlyList<AlertSummary>>.Failed("NotificationService is unreachable (connection refused)."),
            PanelResult<SecretsCacheHealth>.Failed("SecretsService answered 401 Unauthorized."));

        Assert.Contains("<strong>Unavailable.</strong> NotificationService is unreachable (connection refused).", html, StringComparison.Ordinal);
        Assert.Contains("<strong>Unavailable.</strong> SecretsService answered 401 Unauthorized.", html, StringComparison.Ordinal);
        Assert.Contains("""<tr data-job="job-a">""", html, StringComparison.Ordinal);
    }

    internal static Task<string> RenderOverviewAsync(
        IReadOnlyList<JobOverview> jobs, PanelResult<IReadOnlyList<AlertSummary>> alerts, PanelResult<SecretsCacheHealth> secrets,
        PanelResult<DeadLetterListing>? deadLetters = null) =>
        ComponentHtml.RenderAsync<OverviewPage>(new Dictionary<string, object?>
        {
            [nameof(OverviewPage.Page)] = PageData.Page(),
            [nameof(OverviewPage.Jobs)] = jobs,
            [nameof(OverviewPage.Alerts)] = alerts,
            [nameof(OverviewPage.Secrets)] = secrets,
            [nameof(OverviewPage.DeadLetters)] = deadLetters ?? PanelResult<DeadLetterListing>.Ok(new("surgicase-job-events-dlq", 0, [])),
        });

    private static Task<string> RenderHistoryAsync(JobHistory history) =>
        ComponentHtml.RenderAsync<JobHistoryPage>(new Dictionary<string, object?>
        {
            [nameof(JobHistoryPage.Page)] = PageData.Page(),
            [nameof(JobHistoryPage.History)] = history,
        });

    private static string Row(string html, string jobId)
    {
        var start = html.IndexOf($"""<tr data-job="{jobId}">""", StringComparison.Ordinal);
        Assert.True(start >= 0, $"no row for {jobId}");
        return html[start..html.IndexOf("</tr>", start, StringComparison.Ordinal)];
    }

    private static string RunRow(string html, string runId)
    {
        var start = html.IndexOf($"""<tr data-run="{runId}">""", StringComparison.Ordinal);
        Assert.True(start >= 0, $"no row for {runId}");
        return html[start..html.IndexOf("</tr>", start, StringComparison.Ordinal)];
    }

    private static string StatusOf(string html, string jobId) =>
        System.Text.RegularExpressions.Regex.Match(Row(html, jobId), "data-status=\"([a-z]+)\"").Groups[1].Value;

    private static string[] ActionsOf(string html, string jobId) =>
        System.Text.RegularExpressions.Regex.Matches(Row(html, jobId), "data-action=\"([a-z]+)\"").Select(m => m.Groups[1].Value).ToArray();
}
