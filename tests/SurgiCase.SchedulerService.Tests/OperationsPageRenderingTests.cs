using Quartz;
using SurgiCase.SchedulerService.Jobs;
using SurgiCase.SchedulerService.OperationsPage;
using SurgiCase.SchedulerService.Storage;

namespace SurgiCase.SchedulerService.Tests;

/// <summary>The operations page's pure parts: schedules in words, and that data can never become markup.</summary>
public sealed class OperationsPageRenderingTests
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
    public void Job_names_and_error_text_are_html_encoded()
    {
        const string evil = "<script>alert(1)</script>\"'&";
        var definition = new JobDefinition { Id = "evil-job", Name = evil, Cron = "0 0 9 ? * MON", Url = "/x" };
        var job = new ConfiguredJob(definition, new CronExpression(definition.Cron), TimeZoneInfo.Utc);
        var now = DateTimeOffset.Parse("2026-01-05T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        var run = new RunRecord("run-1", definition.Id, "manual", evil, now, now, now, RunOutcomes.Failed, 1, "HttpStatus", evil, "abc");
        var row = new JobRow(job, JobStatus.Failed, run, null, null, null);
        var page = new PageContext(now, Html.Empty, "operator", new OperationsOptions());

        var html = OverviewPage.Render(page, [row],
            PanelResult<IReadOnlyList<AlertSummary>>.Ok([new AlertSummary(1, "job-failed.v1", definition.Id, evil, null, evil, "sent", null, [], now, now, evil)]),
            PanelResult<SecretsCacheHealth>.Failed(evil));
        var history = JobHistoryPage.Render(page, new JobHistory(row, [run], 1, []));

        foreach (var rendered in new[] { html, history })
        {
            Assert.DoesNotContain("<script>", rendered, StringComparison.Ordinal);
            Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#x27;&amp;", rendered, StringComparison.Ordinal);
        }
    }
}
