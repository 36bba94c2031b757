using System.Globalization;
using Microsoft.Extensions.Configuration;
using SurgiCase.SchedulerService.Execution;
using SurgiCase.SchedulerService.Jobs;
using SurgiCase.Testing;

namespace SurgiCase.SchedulerService.Tests;

/// <summary>
/// docs/alerts.md's table "Time to alert when a call hangs" is recomputed from the jobs in the scheduler's
/// appsettings.json (timeout, attempts, backoff at its largest jitter) and must match, so the doc cannot drift.
/// </summary>
public sealed class AlertLatencyDocTests
{
    private const string TableHeading = "### Time to alert when a call hangs";

    [Fact]
    public void The_alert_latency_table_matches_the_configured_timeouts_attempts_and_backoff()
    {
        var jobs = ConfiguredJobs();
        var documented = DocumentedRows();

        Assert.Equal(jobs.Select(j => j.Id), documented.Keys);
        Assert.All(jobs, job => Assert.Equal(Expected(job), documented[job.Id]));
    }

    [Fact]
    public void The_payment_report_warns_within_six_minutes()
    {
        var payment = ConfiguredJobs().Single(j => j.Id == "weekly-provider-payment-report");

        Assert.True(FirstAlert(payment) <= TimeSpan.FromMinutes(6), $"first alert after {FirstAlert(payment)}");
    }

    /// <summary>The cells after the job id: timeout, attempts, first alert, final alert (409), final alert (every attempt hangs).</summary>
    internal static string[] Expected(JobDefinition job) =>
    [
        Format(job.Timeout),
        job.Retry.MaxAttempts.ToString(CultureInfo.InvariantCulture),
        Format(FirstAlert(job)) + (Warns(job) ? " (warning)" : ""),
        Format(job.Timeout + Backoff(job)),
        Format((job.Timeout * job.Retry.MaxAttempts) + Backoff(job)),
    ];

    private static bool Warns(JobDefinition job) => job.Critical && job.Retry.MaxAttempts > 1;

    /// <summary>The first attempt's timeout: the early warning for a critical job that retries, else the final alert.</summary>
    private static TimeSpan FirstAlert(JobDefinition job) =>
        Warns(job) ? job.Timeout : (job.Timeout * job.Retry.MaxAttempts) + Backoff(job);

    /// <summary>Every wait between attempts at its longest: the largest jitter (RetryBackoff with random → 1).</summary>
    private static TimeSpan Backoff(JobDefinition job) =>
        Enumerable.Range(1, job.Retry.MaxAttempts - 1)
            .Aggregate(TimeSpan.Zero, (sum, attempt) => sum + RetryBackoff.DelayAfter(job.Retry, attempt, 1.0));

    internal static string Format(TimeSpan span)
    {
        var seconds = (int)Math.Ceiling(span.TotalSeconds);
        var (minutes, rest) = (seconds / 60, seconds % 60);
        return minutes == 0 ? $"{rest} s" : rest == 0 ? $"{minutes} min" : $"{minutes} min {rest} s";
    }

    private static List<JobDefinition> ConfiguredJobs() =>
        new ConfigurationBuilder()
            .AddJsonFile(RepositoryFolder.Path("SurgiCase.SchedulerService", "appsettings.json"))
            .Build()
            .GetSection("Scheduler").Get<SchedulerOptions>()!.Jobs;

    /// <summary>The table's rows by job id: <c>| `job-id` | cell | cell | … |</c>.</summary>
    private static Dictionary<string, string[]> DocumentedRows()
    {
        var lines = File.ReadAllLines(RepositoryFolder.Path("docs", "alerts.md"));
        var start = Array.IndexOf(lines, TableHeading);
        Assert.True(start >= 0, $"docs/alerts.md has no heading '{TableHeading}'");
        return lines.Skip(start + 1)
            .SkipWhile(l => !l.StartsWith('|'))
            .TakeWhile(l => l.StartsWith('|'))
            .Select(l => l.Trim('|').Split('|').Select(c => c.Trim()).ToArray())
            .Where(cells => cells[0].StartsWith('`'))
            .ToDictionary(cells => cells[0].Trim('`'), cells => cells[1..]);
    }
}
