using System.Net.Http.Json;
using System.Text.Json;
using Amazon.SQS.Model;
using Microsoft.Extensions.DependencyInjection;
using SurgiCase.Messaging.Contracts;
using SurgiCase.Messaging.Outbox;
using SurgiCase.SecretsService.StaleAlerts;
using SurgiCase.Testing;

namespace SurgiCase.SecretsService.Tests;

/// <summary>
/// Secrets served stale longer than Secrets:StaleAlertAfter (1 h) raise one warning through the outbox, and a notice
/// follows when they are fresh again: once per episode, across a restart and across two replicas on one database.
/// </summary>
[Collection(MotoCollection.Name)]
public sealed class StaleSecretsAlertTests(MotoServer moto)
{
    private const string MainValue = """{"job_failure_recipients":"ops@surgicase.local"}""";

    [Fact]
    public async Task Stale_for_more_than_an_hour_sends_one_warning_and_fresh_again_sends_one_notice()
    {
        await using var app = await StartAsync();
        await ServeStaleAsync(app);

        await CheckAsync(app);
        app.Time.Advance(TimeSpan.FromMinutes(59));
        await LookUpAsync(app, "stale");
        await CheckAsync(app);
        Assert.Empty(await DrainAfterOutboxAsync(app));

        app.Time.Advance(TimeSpan.FromMinutes(1));
        await CheckAsync(app);
        var warning = Assert.Single(await DrainAfterOutboxAsync(app));
        Assert.Equal(MessageTypes.JobFailed, warning.MessageAttributes[MessageTypes.AttributeName].StringValue);
        var body = JsonDocument.Parse(warning.Body).RootElement;
        Assert.Equal(StaleSecretsAlerter.JobId, body.GetProperty("jobId").GetString());
        Assert.Equal($"Stale Secrets: {app.Name("main")} for 1 h 0 min", body.GetProperty("jobName").GetString());
        Assert.Equal(Severities.Warning, body.GetProperty("severity").GetString());
        Assert.Equal(ErrorKinds.SecretsUnavailable, body.GetProperty("errorKind").GetString());
        Assert.StartsWith("1 secret(s) have been served from stale cache for 1 h 0 min", body.GetProperty("errorMessage").GetString());
        Assert.Contains("last AWS answer InternalServiceError", body.GetProperty("details").GetProperty(app.Name("main")).GetString());
        Assert.Contains(body.GetProperty("troubleshooting").EnumerateArray(), s => s.GetString()!.Contains("AWS Health Dashboard", StringComparison.Ordinal));
        Assert.DoesNotContain("job_failure_recipients", warning.Body, StringComparison.Ordinal); // names, never values

        // Still stale hours later, and checked again and again: no second warning.
        app.Time.Advance(TimeSpan.FromHours(3));
        await LookUpAsync(app, "stale");
        await CheckAsync(app);
        await CheckAsync(app);
        Assert.Empty(await DrainAfterOutboxAsync(app));

        // AWS answers again (past the breaker's pause): the next lookup is fresh, and the next check sends the notice.
        app.Faults.All = null;
        app.Time.Advance(TimeSpan.FromMinutes(5));
        await LookUpAsync(app, "fresh");
        await CheckAsync(app);
        await CheckAsync(app);
        var notice = Assert.Single(await DrainAfterOutboxAsync(app));
        Assert.Equal(MessageTypes.JobRecovered, notice.MessageAttributes[MessageTypes.AttributeName].StringValue);
        var recovered = JsonDocument.Parse(notice.Body).RootElement;
        Assert.Equal((StaleSecretsAlerter.JobId, body.GetProperty("runId").GetString()), (recovered.GetProperty("jobId").GetString(), recovered.GetProperty("runId").GetString()));
    }

    [Fact]
    public async Task A_short_stale_spell_sends_nothing_at_all()
    {
        await using var app = await StartAsync();
        await ServeStaleAsync(app);
        await CheckAsync(app);

        app.Faults.All = null;
        app.Time.Advance(TimeSpan.FromMinutes(30));
        await LookUpAsync(app, "fresh");
        await CheckAsync(app);

        Assert.Empty(await DrainAfterOutboxAsync(app));
        Assert.NotNull((await app.Services.GetRequiredService<StaleEpisodeStore>().GetAsync(CancellationToken.None))!.EndedAt);
    }

    [Fact]
    public async Task After_a_restart_the_warning_is_not_repeated_and_the_notice_still_follows()
    {
        var data = Directory.CreateTempSubdirectory("surgicase-stale-restart-").FullName;
        string prefix;
        Microsoft.Extensions.Time.Testing.FakeTimeProvider time;
        await using (var before = await StartAsync(dataDirectory: data))
        {
            (prefix, time) = (before.Prefix, before.Time);
            await ServeStaleAsync(before);
            await CheckAsync(before);
            before.Time.Advance(TimeSpan.FromMinutes(61));
            await CheckAsync(before);
            Assert.Equal(MessageTypes.JobFailed, Assert.Single(await DrainAfterOutboxAsync(before)).MessageAttributes[MessageTypes.AttributeName].StringValue);
        }

        // The same service restarted with AWS back: it warms fresh, and its first check ends the stored episode.
        await using var after = new SecretsServiceApp(moto, prefix, time, Settings(prefix), data);
        time.Advance(TimeSpan.FromMinutes(1));
        await LookUpAsync(after, "fresh");
        await CheckAsync(after);

        var notice = Assert.Single(await DrainAfterOutboxAsync(after));
        Assert.Equal(MessageTypes.JobRecovered, notice.MessageAttributes[MessageTypes.AttributeName].StringValue);
    }

    [Fact]
    public async Task Two_replicas_on_one_database_send_one_warning_between_them()
    {
        var data = Directory.CreateTempSubdirectory("surgicase-stale-replicas-").FullName;
        await using var first = await StartAsync(dataDirectory: data);
        await using var second = new SecretsServiceApp(moto, first.Prefix, first.Time, Settings(first.Prefix), data);
        await LookUpAsync(second, "fresh");
        await ServeStaleAsync(first);
        second.Faults.All = AwsFault.InternalServiceError;
        await LookUpAsync(second, "stale");

        first.Time.Advance(TimeSpan.FromMinutes(61));
        await Task.WhenAll(CheckAsync(first), CheckAsync(second), CheckAsync(first), CheckAsync(second));

        var warning = Assert.Single((await DrainAfterOutboxAsync(first)).Concat(await DrainAfterOutboxAsync(second)));
        Assert.Equal(MessageTypes.JobFailed, warning.MessageAttributes[MessageTypes.AttributeName].StringValue);
    }

    [Fact]
    public async Task A_threshold_below_a_minute_stops_the_start_naming_the_key()
    {
        var error = await SecretsServiceApp.StartFailureAsync(moto, new Dictionary<string, string?> { ["Secrets:StaleAlertAfter"] = "00:00:10" });

        Assert.Contains("The field Secrets.StaleAlertAfter must be between 00:01:00 and 7.00:00:00.", error.ToString(), StringComparison.Ordinal);
    }

    private static Dictionary<string, string?> Settings(string prefix) => new()
    {
        // The tests drive the checks themselves; the service's own timer stays out of their way.
        ["Secrets:StaleAlertCheckInterval"] = "01:00:00",
        ["Secrets:SecretNames:0"] = prefix + "/main",
    };

    private async Task<SecretsServiceApp> StartAsync(string? dataDirectory = null)
    {
        var prefix = "t" + Guid.NewGuid().ToString("N")[..10];
        await moto.CreateSecretAsync(prefix + "/main", MainValue);
        var app = new SecretsServiceApp(moto, prefix, settings: Settings(prefix), dataDirectory: dataDirectory);
        await moto.CreateQueueAsync(app.QueueName);
        _ = app.Services;
        return app;
    }

    /// <summary>Reads the secret fresh, lets it expire, then makes AWS fail so the next lookup is answered stale.</summary>
    private static async Task ServeStaleAsync(SecretsServiceApp app)
    {
        await LookUpAsync(app, "fresh");
        app.Time.Advance(TimeSpan.FromSeconds(3720));
        app.Faults.All = AwsFault.InternalServiceError;
        await LookUpAsync(app, "stale");
    }

    private static async Task LookUpAsync(SecretsServiceApp app, string expectedSource)
    {
        using var client = app.CreateClient(SecretsServiceApp.SchedulerKey);
        var answer = await client.GetFromJsonAsync<JsonElement>($"/secrets/{app.Name("main")}");
        Assert.Equal(expectedSource, answer.GetProperty("source").GetString());
    }

    private static Task CheckAsync(SecretsServiceApp app) => app.Services.GetRequiredService<StaleSecretsAlerter>().CheckAsync(CancellationToken.None);

    /// <summary>What reached the queue once the outbox has nothing left to publish (the positive signal that all is out).</summary>
    private async Task<List<Message>> DrainAfterOutboxAsync(SecretsServiceApp app)
    {
        var outbox = app.Services.GetRequiredService<IOutboxStore>();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (await outbox.CountPendingAsync(CancellationToken.None) > 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "The outbox did not drain in time.");
            app.Services.GetRequiredService<OutboxDispatcher>().Signal();
            await Task.Delay(10);
        }

        return await moto.DrainQueueAsync(app.QueueName);
    }
}
