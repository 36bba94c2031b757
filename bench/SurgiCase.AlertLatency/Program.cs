using System.Diagnostics;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

// Alert latency on the real AppHost: from a job's final failure (the run's finishedAt, written with
// its outbox event) to SES accepting the email (the delivery log's sentAt, written when SES answered).
// Both timestamps come from this machine's clock. Runs are sequential so each alert belongs to one run.
// The floor, in the same run and against the same moto: the raw chain the alert path cannot avoid, with no
// service in it (SQS SendMessage, a long-poll ReceiveMessage that was already waiting, SES SendEmail). The
// ratios of the two are the figures to compare across machines; the milliseconds are this machine's.
//
//   dotnet run -c Release --project bench/SurgiCase.AlertLatency -- [runs=50]
var runs = args.Length > 0 ? int.Parse(args[0]) : 50;
const string JobId = "weekly-provider-payment-report";
var adminKey = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
var notificationKey = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
var dataDirectory = Directory.CreateTempSubdirectory("surgicase-latency-").FullName;

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

var latencies = new List<double>(runs);
for (var i = -3; i < runs; i++)
{
    var knownIds = await NotificationIdsAsync(notifications);
    var runId = await RunNowAsync(scheduler, JobId);
    var run = await WaitForAsync(() => RunIfFinishedAsync(scheduler, runId), $"run {runId} to finish");
    var sent = await WaitForAsync(() => NewSentNotificationAsync(notifications, knownIds), $"the alert for run {runId}");
    var latency = (sent["sentAt"]!.GetValue<DateTimeOffset>() - run["finishedAt"]!.GetValue<DateTimeOffset>()).TotalMilliseconds;
    if (i >= 0)
    {
        // The first three runs warm up JIT and connections and are not counted.
        latencies.Add(latency);
        Console.Write($"\r{i + 1}/{runs} runs, last {latency:0} ms   ");
    }
}

Console.WriteLine();
(await simulator.DeleteAsync("/faults")).EnsureSuccessStatusCode();
var floor = await RawChain.MeasureAsync(app.GetEndpoint("local-aws", "http"), runs);
latencies.Sort();
floor.Sort();
Console.WriteLine($"raw chain over {runs} runs:     p50 {Percentile(floor, 0.50):0.0} ms, p99 {Percentile(floor, 0.99):0.0} ms, " +
    $"min {floor[0]:0.0} ms, max {floor[^1]:0.0} ms");
Console.WriteLine($"alert latency over {runs} runs: p50 {Percentile(latencies, 0.50):0.0} ms, p99 {Percentile(latencies, 0.99):0.0} ms, " +
    $"min {latencies[0]:0.0} ms, max {latencies[^1]:0.0} ms");
Console.WriteLine($"ratio alert / raw chain: p50 {Percentile(latencies, 0.50) / Percentile(floor, 0.50):0.00}x (goal <= 1.5x), " +
    $"p99 {Percentile(latencies, 0.99) / Percentile(floor, 0.99):0.00}x (goal <= 2x)");
return;

static double Percentile(List<double> sorted, double p) =>
    sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];

static async Task<HashSet<long>> NotificationIdsAsync(HttpClient notifications)
{
    var list = await notifications.GetFromJsonAsync<JsonArray>("/notifications?limit=500");
    return list!.Select(n => n!["id"]!.GetValue<long>()).ToHashSet();
}

static async Task<JsonObject?> NewSentNotificationAsync(HttpClient notifications, HashSet<long> known)
{
    var list = await notifications.GetFromJsonAsync<JsonArray>("/notifications?limit=20");
    return list!.OfType<JsonObject>().FirstOrDefault(n =>
        !known.Contains(n["id"]!.GetValue<long>()) && n["status"]!.GetValue<string>() == "sent"
        // The email, not the Slack post that goes beside a critical alert (its own row since issue 11.4).
        && n["channel"]?.GetValue<string>() == "email");
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

static async Task<JsonObject> WaitForAsync(Func<Task<JsonObject?>> probe, string what)
{
    var clock = Stopwatch.StartNew();
    while (clock.Elapsed < TimeSpan.FromSeconds(60))
    {
        if (await probe() is { } result)
        {
            return result;
        }

        await Task.Delay(20);
    }

    throw new TimeoutException($"Gave up waiting for {what}.");
}
