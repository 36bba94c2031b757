using System.Collections.Concurrent;
using System.Diagnostics;
using SurgiCase.Testing;

namespace SurgiCase.SecretsService.Tests;

/// <summary>
/// Runs every path of the service (fresh, cached, stale, 503, 404, warming with alerts, /cache, /health) while capturing
/// every log record and every span, and looks for the seeded values in all of them.
/// </summary>
[Collection(MotoCollection.Name)]
public sealed class SecretValueLeakTests(MotoServer moto)
{
    [Fact]
    public async Task No_secret_value_appears_in_any_log_line_span_tag_or_problem()
    {
        var spans = new ConcurrentQueue<string>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = _ => true,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                spans.Enqueue(activity.DisplayName + " " + activity.StatusDescription);
                foreach (var tag in activity.TagObjects)
                {
                    spans.Enqueue($"{tag.Key}={tag.Value}");
                }

                foreach (var activityEvent in activity.Events)
                {
                    spans.Enqueue(activityEvent.Name + string.Join(",", activityEvent.Tags.Select(t => $"{t.Key}={t.Value}")));
                }
            },
        };
        ActivitySource.AddActivityListener(listener);

        var names = new[] { "main", "api", "payments" };
        var prefix = "t" + Guid.NewGuid().ToString("N")[..10];
        await using var app = new SecretsServiceApp(moto, prefix, settings: names
            .Select((n, i) => KeyValuePair.Create($"Secrets:SecretNames:{i}", (string?)$"{prefix}/{n}"))
            .ToDictionary());
        var values = names.ToDictionary(n => n, n => $"leak-marker-{n}-{Guid.NewGuid():N}");
        foreach (var name in names)
        {
            await moto.CreateSecretAsync(app.Name(name), $$"""{"secret":"{{values[name]}}"}""");
        }

        await moto.CreateQueueAsync(app.QueueName);
        using var client = app.CreateClient(SecretsServiceApp.SchedulerKey);
        using var operatorClient = app.CreateClient(SecretsServiceApp.OperatorKey);
        var bodies = new List<string>();

        bodies.Add(await client.GetStringAsync($"/secrets/{app.Name("main")}"));
        bodies.Add(await client.GetStringAsync($"/secrets/{app.Name("api")}"));
        app.Time.Advance(TimeSpan.FromHours(2));
        app.Faults.All = AwsFault.InternalServiceError;
        bodies.Add(await client.GetStringAsync($"/secrets/{app.Name("main")}"));
        var unavailable = await (await client.GetAsync($"/secrets/{app.Name("payments")}")).Content.ReadAsStringAsync();
        var warm = await (await operatorClient.PostAsync("/secrets/warm", null)).Content.ReadAsStringAsync();
        app.Faults.Heal();
        await moto.DeleteSecretAsync(app.Name("api"));
        app.Time.Advance(TimeSpan.FromMinutes(5));
        var notFound = await (await client.GetAsync($"/secrets/{app.Name("api")}")).Content.ReadAsStringAsync();
        var cache = await operatorClient.GetStringAsync("/cache");
        var health = await client.GetStringAsync("/health");
        ActivitySource.AddActivityListener(new ActivityListener());

        var logs = app.Logs.GetSnapshot()
            .Select(r => $"{r.Message} {r.Exception} {string.Join(",", r.StructuredState?.Select(s => s.Value) ?? [])}")
            .ToList();
        var haystacks = logs.Concat(spans).Concat([unavailable, warm, notFound, cache, health]).ToList();

        Assert.Contains(bodies, b => b.Contains(values["main"]));
        Assert.NotEmpty(logs);
        Assert.NotEmpty(spans);
        Assert.Contains(logs, l => l.Contains(app.Name("main")));
        foreach (var value in values.Values)
        {
            var leaks = haystacks.Where(h => h.Contains(value, StringComparison.Ordinal)).ToList();
            Assert.True(leaks.Count == 0, "Secret value found in: " + string.Join(Environment.NewLine, leaks.Select(l => l.Replace(value, "<VALUE>"))));
        }
    }
}
