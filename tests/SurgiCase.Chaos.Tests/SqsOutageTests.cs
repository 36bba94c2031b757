using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Dapper;
using Microsoft.Data.Sqlite;
using SurgiCase.Storage;
using Xunit.Abstractions;

namespace SurgiCase.Chaos.Tests;

/// <summary>
/// Chaos (b): SQS refuses every connection (fault proxy) while report jobs keep failing. Each failure waits in the
/// scheduler's outbox; after SQS is back every one is published, oldest first per job, and emailed.
/// </summary>
[Collection(SingleNodeChaosCollection.Name)]
public sealed class SqsOutageTests(SingleNodeChaosApp app, ITestOutputHelper output)
{
    // Jobs run by hand ("manual": never folded by storm suppression, so each run owes one email).
    private static readonly string[] Jobs = ["weekly-provider-payment-report", "weekly-referral-report", "weekly-npi-update", "pool-stats"];

    [Fact]
    public async Task Alerts_of_jobs_failing_while_sqs_refuses_are_all_published_after_it_recovers_in_order_per_job()
    {
        var scale = ChaosScale.Current;
        using var scheduler = app.CreateOperatorClient("scheduler-service");
        var runs = new List<(string JobId, string RunId)>();
        var clock = Stopwatch.StartNew();
        await app.SetSimulatorFaultAsync(new { mode = "error", status = 500 });
        await app.SetAwsFaultAsync(new { service = "sqs", mode = "refuse" });
        TimeSpan recoveredAt;
        try
        {
            while (clock.Elapsed < scale.SqsOutage)
            {
                foreach (var job in Jobs)
                {
                    runs.Add((job, await RunAndWaitAsync(scheduler, job)));
                }

                await Task.Delay(TimeSpan.FromSeconds(1));
            }

            Assert.Empty(await PublishedAsync(runs));
        }
        finally
        {
            await app.ClearAwsFaultsAsync();
            recoveredAt = clock.Elapsed;
            await app.ClearSimulatorFaultsAsync();
        }

        output.WriteLine($"SQS refused for {recoveredAt.TotalSeconds:0.0} s; {runs.Count} failed runs of {Jobs.Length} jobs meanwhile");

        // The outbox retries with a capped backoff (Outbox:RetryMaxDelay, 1 min): all must be out within that and a poll.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        List<OutboxRow> published;
        while ((published = await PublishedAsync(runs)).Count < runs.Count)
        {
            Assert.True(DateTime.UtcNow < deadline, $"only {published.Count} of {runs.Count} alerts published after SQS came back");
            await Task.Delay(500);
        }

        var lastPublished = published.Max(r => r.PublishedAt);
        output.WriteLine($"all {runs.Count} published {(clock.Elapsed - recoveredAt).TotalSeconds:0.0} s after recovery " +
            $"(last at {lastPublished:HH:mm:ss.fff}, outbox attempts up to {published.Max(r => r.Attempts)})");

        // Oldest first per job: along each job's runs in the order they were stored, publish times never go back.
        var outOfOrder = published.GroupBy(r => r.JobId)
            .SelectMany(job => job.OrderBy(r => r.Sequence).Zip(job.OrderBy(r => r.Sequence).Skip(1)))
            .Where(pair => pair.Second.PublishedAt < pair.First.PublishedAt)
            .Select(pair => $"{pair.Second.RunId} before {pair.First.RunId}")
            .ToList();
        output.WriteLine($"published out of order per job: {outOfOrder.Count}");
        Assert.True(outOfOrder.Count == 0, "published out of order: " + string.Join(", ", outOfOrder.Take(10)));

        var emailDeadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        int emailed;
        while ((emailed = await EmailedAsync(runs)) < runs.Count)
        {
            Assert.True(DateTime.UtcNow < emailDeadline, $"only {emailed} of {runs.Count} alerts emailed");
            await Task.Delay(500);
        }

        output.WriteLine($"all {runs.Count} emailed {(clock.Elapsed - recoveredAt).TotalSeconds:0.0} s after recovery");
    }

    private async Task<string> RunAndWaitAsync(HttpClient scheduler, string jobId)
    {
        using var response = await scheduler.PostAsync($"/jobs/{jobId}/run", null);
        response.EnsureSuccessStatusCode();
        var runId = (await response.Content.ReadFromJsonAsync<JsonObject>())!["runId"]!.GetValue<string>();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            var run = await scheduler.GetFromJsonAsync<JsonObject>($"/runs/{runId}");
            var outcome = run!["outcome"]!.GetValue<string>();
            if (outcome is not ("running" or "queued"))
            {
                Assert.Equal("failed", outcome);
                return runId;
            }

            Assert.True(DateTime.UtcNow < deadline, $"run {runId} did not finish");
            await Task.Delay(100);
        }
    }

    /// <summary>The outbox rows of these runs that have been published, read from the scheduler's SQLite file.</summary>
    private async Task<List<OutboxRow>> PublishedAsync(List<(string JobId, string RunId)> runs)
    {
        var file = Path.Combine(app.DataDirectory, "scheduler", "scheduler.db");
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        var rows = await connection.QueryAsync<(long Sequence, string RunId, string JobId, string PublishedAt, long Attempts)>(
            "SELECT rowid, run_id, job_id, published_at, attempts FROM outbox WHERE published_at IS NOT NULL");
        var wanted = runs.Select(r => r.RunId).ToHashSet(StringComparer.Ordinal);
        return rows.Where(r => wanted.Contains(r.RunId))
            .Select(r => new OutboxRow(r.Sequence, r.RunId, r.JobId, SqlTime.Parse(r.PublishedAt)!.Value, r.Attempts))
            .ToList();
    }

    private async Task<int> EmailedAsync(List<(string JobId, string RunId)> runs)
    {
        var emails = await app.SentEmailsAsync();
        return runs.Count(run => emails.Any(e => e.Body.Contains(run.RunId, StringComparison.Ordinal)));
    }

    private sealed record OutboxRow(long Sequence, string RunId, string JobId, DateTimeOffset PublishedAt, long Attempts);
}
