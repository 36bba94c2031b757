using System.Diagnostics;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SurgiCase.Testing;

// Alert latency on the real AppHost: from a job's final failure (the run's finishedAt, written with
// its outbox event) to SES accepting the email (the delivery log's sentAt, written when SES answered).
// Both timestamps come from this machine's clock. Runs are sequential so each alert belongs to one run.
// The floor, in the same run, against the same moto and through the same fault proxy the services use: the raw
// chain the alert path cannot avoid, with no service in it (SQS SendMessage, a long-poll ReceiveMessage that was
// already waiting, SES SendEmail of the alert's own email), one sample after each alert run so both see the same load. The ratios of the
// two are the figures to compare across machines; the milliseconds are this machine's. The last line says how much of the
// machine's CPU all processes used during the counted runs, and which used most (CpuUsage.cs).
//
//   dotnet run -c Release --project bench/SurgiCase.AlertLatency -- [runs=50]
var runs = args.Length > 0 ? int.Parse(args[0]) : 50;
const string JobId = "weekly-provider-payment-report";
var firstLook = TimeSpan.FromMilliseconds(250);
var adminKey = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
var notificationKey = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
var dataDirectory = Directory.CreateTempSubdirectory("surgicase-latency-").FullName;

// The simulator's fixed port allows one local AppHost per machine: wait for a running end-to-end test to finish.
using var appHostLock = await LocalAppHostLock.AcquireAsync(TimeSpan.FromMinutes(30), Console.WriteLine);
var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.SurgiCase_AppHost>();
// Each service has its own operator key (issue 12.4): the scheduler's for run-now, NotificationService's for its log.
builder.Configuration["Parameters:admin-api-key"] = adminKey;
builder.Configuration["Parameters:notification-operator-key"] = notificationKey;
foreach (var name in new[] { "notification-secrets-api-key", "scheduler-secrets-api-key", "surgicase-api-key", "secrets-operator-key", "operations-page-key", "data-protection-key",
                     "scheduler-data-protection-key", "secrets-data-protection-key", "scheduler-database-password",
                     "notification-database-password", "secrets-database-password" })
{
    builder.Configuration[$"Parameters:{name}"] = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
}

// One attempt per run (the measured span starts at the final failure anyway), no storm folding (every
// failure must produce its own email), and fresh stores.
builder.CreateResourceBuilder<ProjectResource>("scheduler-service")
    .WithEnvironment("Scheduler__Jobs__0__retry__maxAttempts", "1")
    .WithEnvironment("Scheduler__DataDirectory", Path.Combine(dataDirectory, "scheduler"));
builder.CreateResourceBuilder<ProjectResource>("notification-service")
    .WithEnvironment("Notifications__DataDirectory", Path.Combine(dataDirectory, "notifications"))
    .WithEnvironment("Notifications__StormWindow", "00:00:00");
builder.CreateResourceBuilder<ProjectResource>("secrets-service")
    .WithEnvironment("Secrets__DataDirectory", Path.Combine(dataDirectory, "secrets"));
builder.Services.AddLogging(logging => logging
    .AddFilter("SurgiCase.AppHost.Resources", LogLevel.None)
    .AddFilter("Microsoft.Extensions.Diagnostics.HealthChecks", LogLevel.None)
    .AddFilter("System.Net.Http", LogLevel.Warning)
    .SetMinimumLevel(LogLevel.Warning));

Console.WriteLine("Starting the AppHost…");
await using var app = await builder.BuildAsync();
await app.StartAsync();
foreach (var resource in new[] { "local-aws", "secrets-service", "api-simulator", "notification-service", "scheduler-service" })
{
    await app.ResourceNotifications.WaitForResourceHealthyAsync(resource);
}

using var scheduler = app.CreateHttpClient("scheduler-service", "http");
scheduler.DefaultRequestHeaders.Add("X-Api-Key", adminKey);
using var notifications = app.CreateHttpClient("notification-service", "http");
notifications.DefaultRequestHeaders.Add("X-Api-Key", notificationKey);
using var simulator = app.CreateHttpClient("api-simulator", "http");

// 422 is not a transient status, so the scheduler's per-host circuit breaker stays closed and every run
// takes the same path: HTTP call, classification, outbox, SQS, consumer, secrets lookup, SES.
(await simulator.PostAsJsonAsync("/faults", new { mode = "error", status = 422, path = "/api/reports/provider-payment" })).EnsureSuccessStatusCode();

await using var rawChain = await RawChain.CreateAsync(app.GetEndpoint("aws-fault-proxy", "http"));
var loadBefore = LoadAverage();
var latencies = new List<double>(runs);
var floor = new List<double>(runs);
// Each chain in two parts, to see which part an alert loses its time in: up to the event's hand-over (the alert: from
// finishedAt to NotificationService's claim, createdAt; the raw chain: SendMessage until ReceiveMessage returned) and
// from there to SES (the alert: claim, render, record, SendEmail; the raw chain: SendEmail).
var alertToClaim = new List<double>(runs);
var alertFromClaim = new List<double>(runs);
var rawQueue = new List<double>(runs);
var rawSes = new List<double>(runs);
CpuUsage? cpu = null;
for (var i = -3; i < runs; i++)
{
    if (i == 0)
    {
        // The machine's CPU from the first counted run on.
        cpu = CpuUsage.Start();
    }

    var newestId = await NewestNotificationIdAsync(notifications);
    var runId = await RunNowAsync(scheduler, JobId);
    var run = await WaitForAsync(() => RunIfFinishedAsync(scheduler, runId), $"run {runId} to finish");
    // The first look at the log after the alert is normally out: polling NotificationService while it delivers would
    // take its CPU on this 2-core machine (the figures come from the stored timestamps, not from when the bench looks).
    await Task.Delay(firstLook);
    var sent = await WaitForAsync(() => NewSentNotificationAsync(notifications, newestId, "email"), $"the alert for run {runId}");
    var latency = (sent["sentAt"]!.GetValue<DateTimeOffset>() - run["finishedAt"]!.GetValue<DateTimeOffset>()).TotalMilliseconds;
    var toClaim = (sent["createdAt"]!.GetValue<DateTimeOffset>() - run["finishedAt"]!.GetValue<DateTimeOffset>()).TotalMilliseconds;
    if (sent["severity"]?.GetValue<string>() == "critical")
    {
        // The Slack post that follows a critical email: done before the raw chain's sample, which should not share the
        // machine with the alert's tail any more than the alert shares it with the sample.
        await WaitForAsync(() => NewSentNotificationAsync(notifications, newestId, "webhook"), $"the Slack post for run {runId}");
    }

    var html = await notifications.GetStringAsync($"/notifications/{sent["id"]!.GetValue<long>()}/preview");
    var (raw, queue) = await rawChain.SampleAsync(sent["subject"]!.GetValue<string>(), html);
    if (i >= 0)
    {
        // The first three runs warm up JIT and connections and are not counted.
        latencies.Add(latency);
        floor.Add(raw);
        alertToClaim.Add(toClaim);
        alertFromClaim.Add(latency - toClaim);
        rawQueue.Add(queue);
        rawSes.Add(raw - queue);
        Console.Write($"\r{i + 1}/{runs} runs, last {latency:0} ms (raw chain {raw:0} ms)   ");
    }
}

Console.WriteLine();
var cpuLine = cpu?.Report(busiest: 6);
(await simulator.DeleteAsync("/faults")).EnsureSuccessStatusCode();
latencies.Sort();
floor.Sort();
Console.WriteLine($"raw chain over {runs} runs:     p50 {Percentile(floor, 0.50):0.0} ms, p99 {Percentile(floor, 0.99):0.0} ms, " +
    $"min {floor[0]:0.0} ms, max {floor[^1]:0.0} ms");
Console.WriteLine($"alert latency over {runs} runs: p50 {Percentile(latencies, 0.50):0.0} ms, p99 {Percentile(latencies, 0.99):0.0} ms, " +
    $"min {latencies[0]:0.0} ms, max {latencies[^1]:0.0} ms");
Console.WriteLine($"ratio alert / raw chain: p50 {Percentile(latencies, 0.50) / Percentile(floor, 0.50):0.00}x (goal <= 1.5x), " +
    $"p99 {Percentile(latencies, 0.99) / Percentile(floor, 0.99):0.00}x (goal <= 2x)");
Console.WriteLine($"in parts (p50): up to the hand-over, alert {Median(alertToClaim):0.0} ms / raw {Median(rawQueue):0.0} ms; " +
    $"from there to SES, alert {Median(alertFromClaim):0.0} ms / raw {Median(rawSes):0.0} ms");
// The machine's load beside the figures: on a shared machine both chains slow down, the alert's more (more processes).
Console.WriteLine($"load average (1, 5, 15 min) before: {loadBefore}; after: {LoadAverage()}");
if (cpuLine is not null)
{
    Console.WriteLine(cpuLine);
}
return;

static string LoadAverage() =>
    File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

static double Median(List<double> values) => Percentile(values.Order().ToList(), 0.50);

static double Percentile(List<double> sorted, double p) =>
    sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];

/// <summary>The delivery log's newest row id (ids only grow): one row read, so the bench's look costs the services little.</summary>
static async Task<long> NewestNotificationIdAsync(HttpClient notifications)
{
    var list = await notifications.GetFromJsonAsync<JsonArray>("/notifications?limit=1");
    return list!.FirstOrDefault()?["id"]!.GetValue<long>() ?? 0;
}

/// <param name="newestBefore">The newest row id before the run: the run's rows come after it.</param>
/// <param name="channel">"email" for the alert; "webhook" for the Slack post beside a critical one (its own row since issue 11.4).</param>
static async Task<JsonObject?> NewSentNotificationAsync(HttpClient notifications, long newestBefore, string channel)
{
    var list = await notifications.GetFromJsonAsync<JsonArray>("/notifications?limit=20");
    return list!.OfType<JsonObject>().FirstOrDefault(n =>
        n["id"]!.GetValue<long>() > newestBefore && n["status"]!.GetValue<string>() == "sent" && n["channel"]?.GetValue<string>() == channel);
}

static async Task<string> RunNowAsync(HttpClient scheduler, string jobId)
{
    using var response = await scheduler.PostAsync($"/jobs/{jobId}/run", null);
    response.EnsureSuccessStatusCode();
    return (await response.Content.ReadFromJsonAsync<JsonObject>())!["runId"]!.GetValue<string>();
}

static async Task<JsonObject?> RunIfFinishedAsync(HttpClient scheduler, string runId)
{
    var run = await scheduler.GetFromJsonAsync<JsonObject>($"/runs/{runId}");
    return run!["outcome"]!.GetValue<string>() is "queued" or "running" ? null : run;
}

/// <summary>Polls every 50 ms: each look costs the services CPU that the measured path needs.</summary>
static async Task<JsonObject> WaitForAsync(Func<Task<JsonObject?>> probe, string what)
{
    var clock = Stopwatch.StartNew();
    while (clock.Elapsed < TimeSpan.FromSeconds(60))
    {
        if (await probe() is { } result)
        {
            return result;
        }

        await Task.Delay(50);
    }

    throw new TimeoutException($"Gave up waiting for {what}.");
}
