using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using SurgiCase.Messaging.Contracts;
using SurgiCase.SchedulerService.Endpoints;
using SurgiCase.SchedulerService.Storage;
using SurgiCase.Testing;

namespace SurgiCase.SchedulerService.Tests;

/// <summary>
/// Issue 12.1's other half: a partial failure's event lists the first 50 failed items, and the run history keeps all of
/// them (JSON API in pages, the job's page as a list with a text download), pruned with the run, on SQLite and PostgreSQL.
/// </summary>
public abstract class RunFailedItemsTests(PostgresTestDatabase? database) : StorageVariantTests(database)
{
    private const string Payment = "weekly-provider-payment-report";
    private readonly SimulatorHost _simulator = new();

    protected override Task InitializeTestAsync() => _simulator.InitializeAsync();

    protected override Task DisposeTestAsync() => _simulator.DisposeAsync();

    [Fact]
    public async Task Five_thousand_failed_items_are_capped_in_the_event_and_all_kept_in_the_run_history()
    {
        var publisher = new RecordingPublisher();
        using var app = new SchedulerApp(_simulator.BaseAddress, Storage, publisher: publisher);
        using var client = app.CreateOperatorClient();
        await _simulator.SetFaultAsync(new { mode = "partial", failedItems = 5000, itemLength = 200 });

        var runId = await app.RunAsync(client, Payment);
        var run = await SchedulerApp.WaitFinishedAsync(client, runId);

        var partial = Assert.IsType<JobPartiallyFailed>(Assert.Single(await publisher.WaitForRunAsync(runId)));
        Assert.Equal(51, partial.FailedItems.Count);
        Assert.Equal("…and 4,950 more", partial.FailedItems[^1]);
        Assert.Equal((RunOutcomes.Partial, 5000), (run.Outcome, run.FailedItemCount));

        var all = await client.GetFromJsonAsync<FailedItemsPage>($"/runs/{runId}/failed-items?limit=10000");
        Assert.Equal(5000, all!.Total);
        Assert.Equal(Enumerable.Range(0, 5000).Select(i => $"provider-{1000 + i}: missing NPI".PadRight(200, '.')), all.Items);
        var tail = await client.GetFromJsonAsync<FailedItemsPage>($"/runs/{runId}/failed-items?offset=4990&limit=100");
        Assert.Equal((4990, 10), (tail!.Offset, tail.Items.Count));
        Assert.StartsWith("provider-5999:", tail.Items[^1], StringComparison.Ordinal);
        using var tooMany = await client.GetAsync($"/runs/{runId}/failed-items?limit=10001");
        Assert.Equal(HttpStatusCode.BadRequest, tooMany.StatusCode);

        using var page = OperationsPageClient.Create(app);
        (await OperationsPageClient.SignInAsync(page, SchedulerApp.OperatorKey, "/")).Dispose();
        var html = await page.GetStringAsync($"/ops/jobs/{Payment}");
        Assert.Contains("5,000 failed items", html, StringComparison.Ordinal);
        Assert.Contains("First 100 shown.", html, StringComparison.Ordinal);
        Assert.Contains("provider-1099: missing NPI", html, StringComparison.Ordinal);
        Assert.DoesNotContain("provider-1100: missing NPI", html, StringComparison.Ordinal);
        using var download = await page.GetAsync($"/ops/runs/{runId}/failed-items.txt");
        Assert.Equal("text/plain", download.Content.Headers.ContentType?.MediaType);
        Assert.Equal(all.Items, (await download.Content.ReadAsStringAsync()).TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public async Task Items_are_escaped_on_the_page_flattened_in_the_download_and_pruned_with_their_run()
    {
        using var app = new SchedulerApp(_simulator.BaseAddress, Storage.Append(new("Scheduler:RunRetention", "1")), publisher: new RecordingPublisher());
        var store = app.Services.GetRequiredService<IRunStore>();
        // Issue 18.6: a right-to-left override that shows "provider-9 fdp.exe" as "provider-9 exe.pdf", a line separator
        // some editors break at, a left-to-right isolate and mark.
        var old = await CompletePartialAsync(store, ["<script>alert(1)</script>", "line one\nline two", "provider-9 \u202Efdp.exe",
            "provider-10\u2028second line\u2029third", "\u2066provider-11\u2069 \u200Emissing NPI\u061C"]);

        using var page = OperationsPageClient.Create(app);
        (await OperationsPageClient.SignInAsync(page, SchedulerApp.OperatorKey, "/")).Dispose();
        var html = await page.GetStringAsync($"/ops/jobs/{Payment}");
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>alert(1)", html, StringComparison.Ordinal);
        using var download = await page.GetAsync($"/ops/runs/{old}/failed-items.txt");
        Assert.Equal("<script>alert(1)</script>\nline one line two\nprovider-9  fdp.exe\nprovider-10 second line third\n provider-11   missing NPI \n",
            await download.Content.ReadAsStringAsync());
        Assert.Equal("nosniff", download.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("no-store", download.Headers.CacheControl?.ToString());

        var young = await CompletePartialAsync(store, ["provider-1: missing NPI"]);

        Assert.Empty(await store.FailedItemsAsync(old, 0, 10, CancellationToken.None));
        Assert.Equal(["provider-1: missing NPI"], await store.FailedItemsAsync(young, 0, 10, CancellationToken.None));
        using var gone = await page.GetAsync($"/ops/runs/{old}/failed-items.txt");
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    private static async Task<string> CompletePartialAsync(IRunStore store, IReadOnlyList<string> items)
    {
        var run = RunRecord.NewQueued(Payment, "manual", "operator", DateTimeOffset.UtcNow);
        await store.CreateAsync(run, CancellationToken.None);
        await store.CompleteAsync(run.RunId,
            new RunCompletion(DateTimeOffset.UtcNow, RunOutcomes.Partial, 1, null, $"{items.Count} items failed", FailedItems: items), CancellationToken.None);
        return run.RunId;
    }
}

public sealed class RunFailedItemsSqliteTests() : RunFailedItemsTests(database: null);

public sealed class RunFailedItemsPostgresTests() : RunFailedItemsTests(new PostgresTestDatabase());
