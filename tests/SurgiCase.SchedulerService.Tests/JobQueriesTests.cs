using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using SurgiCase.SchedulerService.Endpoints;
using SurgiCase.SchedulerService.Storage;
using SurgiCase.Testing;

namespace SurgiCase.SchedulerService.Tests;

/// <summary>
/// The job list (JSON API and operations page) reads every job's newest run with one query: it agrees with each job's own
/// history on SQLite and PostgreSQL, and N jobs cost one read of the runs, not N.
/// </summary>
public abstract partial class JobQueriesTests(PostgresTestDatabase? database) : StorageVariantTests(database)
{
    private const int ProbeJobs = 20;
    private static readonly DateTimeOffset T0 = new(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);
    private readonly SimulatorHost _simulator = new();

    protected override Task InitializeTestAsync() => _simulator.InitializeAsync();

    protected override Task DisposeTestAsync() => _simulator.DisposeAsync();

    [Fact]
    public async Task Each_jobs_latest_run_is_the_newest_of_its_own_history()
    {
        using var app = new SchedulerApp(_simulator.BaseAddress, Storage, publisher: new RecordingPublisher());
        var store = app.Services.GetRequiredService<IRunStore>();
        // a: the newest queued last. b: two queued in the same instant, the later write is the newer. c: the newest
        // written first. d: no runs at all.
        await CreateAsync(store, "job-a", "a1", T0);
        await CreateAsync(store, "job-a", "a2", T0.AddMinutes(1));
        await CreateAsync(store, "job-a", "a3", T0.AddMinutes(2));
        await CreateAsync(store, "job-b", "b1", T0);
        await CreateAsync(store, "job-b", "b2", T0);
        await CreateAsync(store, "job-c", "c1", T0.AddMinutes(5));
        await CreateAsync(store, "job-c", "c2", T0.AddMinutes(4));
        // More jobs than one statement reads (100), so the rest come from a second one.
        var many = Enumerable.Range(0, 130).Select(i => $"many-{i:000}").ToList();
        foreach (var job in many)
        {
            await CreateAsync(store, job, job + "-run", T0);
        }

        string[] jobs = ["job-a", "job-b", "job-c", "job-d", .. many];
        var latest = await store.LatestPerJobAsync(jobs, CancellationToken.None);

        Assert.Equal(["a3", "b2", "c1"], latest.Where(l => l.Key.StartsWith("job-", StringComparison.Ordinal))
            .OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => l.Value.RunId));
        Assert.Equal(many.Select(job => job + "-run"), many.Select(job => latest[job].RunId));
        foreach (var job in jobs)
        {
            Assert.Equal((await store.ListForJobAsync(job, 1, CancellationToken.None)).SingleOrDefault(), latest.GetValueOrDefault(job));
        }
    }

    [Fact]
    public async Task The_job_list_and_the_overview_read_the_runs_once_whatever_the_number_of_jobs()
    {
        CountingProxy<IRunStore>? counter = null;
        var probes = Enumerable.Range(0, ProbeJobs)
            .SelectMany(i => SchedulerApp.Job(SchedulerApp.SeedJobCount + i, $"probe-{i}", "/api/reports/referral", name: $"Probe {i}"));
        using var app = new SchedulerApp(_simulator.BaseAddress, probes.Concat(Storage), services =>
        {
            services.RemoveAll<IRunStore>();
            services.AddSingleton(sp =>
            {
                (var store, counter) = CountingProxy<IRunStore>.Wrap(ActivatorUtilities.CreateInstance<SqlRunStore>(sp));
                return store;
            });
        }, new RecordingPublisher());
        var store = app.Services.GetRequiredService<IRunStore>();
        for (var i = 0; i < ProbeJobs; i++)
        {
            await CreateAsync(store, $"probe-{i}", $"run-{i}", T0.AddMinutes(i));
        }

        counter!.Reset();
        using var api = app.CreateOperatorClient();
        var jobs = await api.GetFromJsonAsync<List<JobSummary>>("/jobs");
        Assert.Equal(SchedulerApp.SeedJobCount + ProbeJobs, jobs!.Count);
        Assert.All(jobs.Where(j => j.Id.StartsWith("probe-", StringComparison.Ordinal)), j => Assert.Equal(j.Id.Replace("probe", "run", StringComparison.Ordinal), j.LastRun?.RunId));
        AssertOneReadOfTheRuns(counter);

        using var page = OperationsPageClient.Create(app);
        (await OperationsPageClient.SignInAsync(page, SchedulerApp.OperatorKey, "/")).Dispose();
        counter.Reset();
        var overview = await page.GetStringAsync("/");
        Assert.Equal(SchedulerApp.SeedJobCount + ProbeJobs, JobRow().Count(overview));
        AssertOneReadOfTheRuns(counter);
    }

    private static void AssertOneReadOfTheRuns(CountingProxy<IRunStore> counter)
    {
        Assert.Equal(1, counter.Calls(nameof(IRunStore.LatestPerJobAsync)));
        Assert.Equal(0, counter.Calls(nameof(IRunStore.ListForJobAsync)));
        Assert.Equal(0, counter.Calls(nameof(IRunStore.CountForJobAsync)));
    }

    private static Task CreateAsync(IRunStore store, string jobId, string runId, DateTimeOffset queuedAt) =>
        store.CreateAsync(RunRecord.NewQueued(jobId, "manual", "operator", queuedAt) with { RunId = runId }, CancellationToken.None);

    [GeneratedRegex("<tr data-job=")]
    private static partial Regex JobRow();
}

public sealed class JobQueriesSqliteTests() : JobQueriesTests(database: null);

/// <summary>The same reads on PostgreSQL (cluster mode).</summary>
public sealed class JobQueriesPostgresTests() : JobQueriesTests(new PostgresTestDatabase());
