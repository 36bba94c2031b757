using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using System.Text.Json;
using SurgiCase.Messaging.Contracts;
using SurgiCase.Testing;

namespace SurgiCase.SecretsService.Tests;

/// <summary>The seed's warming job with the alarm it lacked: &gt;50 % failed → JobPartiallyFailed, all → JobFailed.</summary>
[Collection(MotoCollection.Name)]
public sealed class WarmingTests(MotoServer moto) : IAsyncLifetime
{
    private static readonly string[] ShortNames = ["main", "api", "database", "email", "s3-reports", "npi-registry", "backup", "slack", "payments"];

    private SecretsServiceApp _app = null!;

    public async Task InitializeAsync() => _app = await StartAsync(warmOnStartup: false);

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task All_refreshed_logs_the_seed_line_and_publishes_nothing()
    {
        var report = await WarmAsync(_app);

        Assert.Equal(9, report.GetProperty("total").GetInt32());
        Assert.Equal(9, report.GetProperty("refreshed").GetInt32());
        Assert.Contains(_app.Logs.GetSnapshot(), r => r.Message == "✅ Secrets warming completed: 9 secrets refreshed in 0.00s");
        Assert.Empty(await moto.DrainQueueAsync(_app.QueueName));
    }

    [Fact]
    public async Task Four_failing_logs_a_warning_and_publishes_nothing()
    {
        FailFirst(_app, 4);

        var report = await WarmAsync(_app);

        Assert.Equal(5, report.GetProperty("refreshed").GetInt32());
        Assert.Equal(4, report.GetProperty("failed").GetArrayLength());
        Assert.Contains(_app.Logs.GetSnapshot(), r => r.Message == "⚠️ Secrets warming partial: 5/9 secrets refreshed");
        Assert.Empty(await moto.DrainQueueAsync(_app.QueueName));
    }

    [Fact]
    public async Task Five_failing_publishes_one_JobPartiallyFailed_naming_the_five()
    {
        var failing = FailFirst(_app, 5);

        var report = await WarmAsync(_app);
        var messages = await moto.DrainQueueAsync(_app.QueueName);

        Assert.Equal(4, report.GetProperty("refreshed").GetInt32());
        var message = Assert.Single(messages);
        Assert.Equal(MessageTypes.JobPartiallyFailed, message.MessageAttributes[MessageTypes.AttributeName].StringValue);
        var body = JsonDocument.Parse(message.Body).RootElement;
        Assert.Equal("Secrets Cache Warming", body.GetProperty("jobName").GetString());
        Assert.Equal(5, body.GetProperty("failed").GetInt32());
        Assert.Equal(failing.Order(), body.GetProperty("failedItems").EnumerateArray().Select(e => e.GetString()!).Order());
        Assert.Contains("stale", body.GetProperty("warnings")[0].GetString());
    }

    [Theory]
    [InlineData(4, false)] // exactly 50 %: the seed alerts only above half
    [InlineData(5, true)]
    public async Task With_eight_secrets_half_failing_is_the_threshold_and_one_more_alerts(int failing, bool alerts)
    {
        await using var app = await StartAsync(warmOnStartup: false, names: ShortNames[..8]);
        FailFirst(app, failing);

        var report = await WarmAsync(app);
        var messages = await moto.DrainQueueAsync(app.QueueName);

        Assert.Equal(8, report.GetProperty("total").GetInt32());
        Assert.Equal(failing, report.GetProperty("failed").GetArrayLength());
        if (alerts)
        {
            Assert.Equal(MessageTypes.JobPartiallyFailed, Assert.Single(messages).MessageAttributes[MessageTypes.AttributeName].StringValue);
        }
        else
        {
            Assert.Empty(messages);
            Assert.Contains(app.Logs.GetSnapshot(), r => r.Message == $"⚠️ Secrets warming partial: {8 - failing}/8 secrets refreshed");
        }
    }

    [Fact]
    public async Task All_failing_publishes_one_JobFailed()
    {
        _app.Faults.All = AwsFault.InternalServiceError;

        var report = await WarmAsync(_app);
        var messages = await moto.DrainQueueAsync(_app.QueueName);

        Assert.Equal(0, report.GetProperty("refreshed").GetInt32());
        Assert.All(report.GetProperty("failed").EnumerateArray(), f => Assert.Equal("InternalServiceError", f.GetProperty("errorCode").GetString()));
        var message = Assert.Single(messages);
        Assert.Equal(MessageTypes.JobFailed, message.MessageAttributes[MessageTypes.AttributeName].StringValue);
        var body = JsonDocument.Parse(message.Body).RootElement;
        Assert.Equal(ErrorKinds.SecretsUnavailable, body.GetProperty("errorKind").GetString());
        Assert.Equal(Triggers.Manual, body.GetProperty("trigger").GetString());
    }

    [Fact]
    public async Task An_alert_SQS_did_not_accept_is_kept_and_published_once_SQS_takes_it()
    {
        await using var app = await StartAsync(warmOnStartup: false, createQueue: false);
        app.Faults.All = AwsFault.InternalServiceError;

        await WarmAsync(app);
        using var health = app.CreateClient(SecretsServiceApp.OperatorKey);
        // Degraded, not Unhealthy: SQS and Secrets Manager fail together in a regional outage, and a readiness probe
        // must not take the service away while its stale values are what keeps the jobs running.
        using (var degraded = await health.GetAsync("/health"))
        {
            Assert.Equal(System.Net.HttpStatusCode.OK, degraded.StatusCode);
            var secrets = (await degraded.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("checks").GetProperty("secrets");
            Assert.Equal("Degraded", secrets.GetProperty("status").GetString());
            Assert.StartsWith(
                "1 secrets-warming alert(s) could not be published to SQS yet; retrying.", secrets.GetProperty("description").GetString());
            Assert.Equal(1, secrets.GetProperty("data").GetProperty("waitingAlerts").GetInt32());
        }

        await moto.CreateQueueAsync(app.QueueName);
        List<Amazon.SQS.Model.Message> messages = [];
        await Until(() =>
        {
            // The outbox waits on the fake clock: move it on until the alert goes out.
            app.Time.Advance(TimeSpan.FromSeconds(1));
            messages.AddRange(moto.DrainQueueAsync(app.QueueName).GetAwaiter().GetResult());
            return messages.Count > 0;
        });

        var message = Assert.Single(messages);
        Assert.Equal(MessageTypes.JobFailed, message.MessageAttributes[MessageTypes.AttributeName].StringValue);
        // Marked published right after SQS took it.
        await Until(() => !health.GetStringAsync("/health").GetAwaiter().GetResult().Contains("could not be published", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_alert_SQS_refused_survives_a_restart_and_is_published_once_SQS_takes_it()
    {
        var data = Directory.CreateTempSubdirectory("surgicase-secrets-restart-").FullName;
        string prefix;
        await using (var before = await StartAsync(warmOnStartup: false, createQueue: false, dataDirectory: data))
        {
            prefix = before.Prefix;
            before.Faults.All = AwsFault.InternalServiceError;
            await WarmAsync(before);
            Assert.Equal(HealthStatus.Degraded, await before.HealthAsync());
        }

        // The same service restarted, with SQS back: the stored alert goes out, once, with nothing warmed again.
        await using var after = new SecretsServiceApp(moto, prefix, dataDirectory: data);
        await moto.CreateQueueAsync(after.QueueName);
        _ = after.Services;
        List<Amazon.SQS.Model.Message> messages = [];
        await Until(() =>
        {
            after.Time.Advance(TimeSpan.FromSeconds(1));
            messages.AddRange(moto.DrainQueueAsync(after.QueueName).GetAwaiter().GetResult());
            return messages.Count > 0;
        });

        var message = Assert.Single(messages);
        Assert.Equal(MessageTypes.JobFailed, message.MessageAttributes[MessageTypes.AttributeName].StringValue);
        Assert.Equal(0, after.Faults.Calls);
        Directory.Delete(data, recursive: true);
    }

    [Fact]
    public async Task Failed_secrets_keep_serving_their_last_value_stale()
    {
        await WarmAsync(_app);
        _app.Time.Advance(TimeSpan.FromHours(2));
        _app.Faults.All = AwsFault.InternalServiceError;
        await WarmAsync(_app);

        using var client = _app.CreateClient(SecretsServiceApp.SchedulerKey);
        var answer = await client.GetFromJsonAsync<JsonElement>($"/secrets/{_app.Name("payments")}");

        Assert.Equal("stale", answer.GetProperty("source").GetString());
        Assert.Equal(Value("payments"), answer.GetProperty("value").GetString());
    }

    [Fact]
    public async Task With_the_breaker_open_warming_fails_fast_without_calling_aws()
    {
        _app.Faults.All = AwsFault.InternalServiceError;
        await WarmAsync(_app);
        _app.Faults.ResetCalls();

        var report = await WarmAsync(_app);
        var messages = await moto.DrainQueueAsync(_app.QueueName);

        Assert.Equal(0, _app.Faults.Calls);
        Assert.Equal(9, report.GetProperty("failed").GetArrayLength());
        Assert.Equal(2, messages.Count(m => m.MessageAttributes[MessageTypes.AttributeName].StringValue == MessageTypes.JobFailed));
    }

    [Fact]
    public async Task Ttls_are_jittered_so_warmed_entries_do_not_expire_together()
    {
        await using var app = new SecretsServiceApp(moto, _app.Prefix, settings: new Dictionary<string, string?> { ["Secrets:TtlJitter"] = "0.1" });
        await WarmAsync(app);

        var slots = app.Services.GetRequiredService<SecretCache>().Slots.Select(s => s.Current!).ToList();

        Assert.Equal(9, slots.Count);
        Assert.All(slots, s => Assert.InRange(s.ExpiresAt - s.FetchedAt, TimeSpan.FromMinutes(54), TimeSpan.FromMinutes(60)));
        Assert.True(slots.Select(s => s.ExpiresAt).Distinct().Count() > 1);
    }

    [Fact]
    public async Task Warms_at_start_up_and_every_thirty_minutes()
    {
        await using var app = await StartAsync(warmOnStartup: true);
        const string line = "✅ Secrets warming completed: 9 secrets refreshed in 0.00s";

        await Until(() => app.Logs.GetSnapshot().Count(r => r.Message == line) == 1);
        app.Time.Advance(TimeSpan.FromMinutes(29));
        Assert.Equal(1, app.Logs.GetSnapshot().Count(r => r.Message == line));
        app.Time.Advance(TimeSpan.FromMinutes(1));
        await Until(() => app.Logs.GetSnapshot().Count(r => r.Message == line) == 2);
        Assert.Equal(18, app.Faults.Calls);
    }

    private async Task<SecretsServiceApp> StartAsync(
        bool warmOnStartup, bool createQueue = true, string? dataDirectory = null, string[]? names = null)
    {
        names ??= ShortNames;
        var prefix = "t" + Guid.NewGuid().ToString("N")[..10];
        var settings = new Dictionary<string, string?>
        {
            ["Secrets:WarmOnStartup"] = warmOnStartup.ToString(),
            ["Secrets:WarmingInterval"] = warmOnStartup ? "00:30:00" : "1.00:00:00",
        };
        for (var i = 0; i < names.Length; i++)
        {
            settings[$"Secrets:SecretNames:{i}"] = $"{prefix}/{names[i]}";
            await moto.CreateSecretAsync($"{prefix}/{names[i]}", Value(names[i]));
        }

        // SecretsServiceApp lists nine names; fewer overwrite the rest with a repeat, which warming takes once.
        for (var i = names.Length; i < ShortNames.Length; i++)
        {
            settings[$"Secrets:SecretNames:{i}"] = $"{prefix}/{names[0]}";
        }

        var app = new SecretsServiceApp(moto, prefix, settings: settings, dataDirectory: dataDirectory);
        if (createQueue)
        {
            await moto.CreateQueueAsync(app.QueueName);
        }

        _ = app.Services;
        return app;
    }

    private static string Value(string shortName) => $$"""{"value":"warm-{{shortName}}-secret-5e1f"}""";

    private static List<string> FailFirst(SecretsServiceApp app, int count)
    {
        var failing = ShortNames.Take(count).Select(app.Name).ToList();
        failing.ForEach(n => app.Faults.Fail(n, AwsFault.InternalServiceError));
        return failing;
    }

    private static async Task<JsonElement> WarmAsync(SecretsServiceApp app)
    {
        using var client = app.CreateClient(SecretsServiceApp.OperatorKey);
        using var response = await client.PostAsync("/secrets/warm", null);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static async Task Until(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "Condition not met in time.");
            await Task.Delay(10);
        }
    }
}
