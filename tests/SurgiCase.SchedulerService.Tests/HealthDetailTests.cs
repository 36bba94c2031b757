using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using SurgiCase.SchedulerService.Storage;

namespace SurgiCase.SchedulerService.Tests;

/// <summary>
/// <c>/health</c> answers every probe, but only a caller with a key learns what is wrong (job ids here; secret names,
/// queues and exception text in the other services); and the answer is computed at most once per few seconds.
/// </summary>
public sealed class HealthDetailTests : IAsyncLifetime
{
    private const string JobId = "health-probe-job";
    private readonly SimulatorHost _simulator = new();

    public Task InitializeAsync() => _simulator.InitializeAsync();

    public Task DisposeAsync() => _simulator.DisposeAsync();

    private SchedulerApp NewApp(TimeProvider? time = null) => new(
        _simulator.BaseAddress,
        SchedulerApp.Job(SchedulerApp.SeedJobCount, JobId, "/api/reports/provider-payment"),
        services =>
        {
            if (time is not null)
            {
                services.RemoveAll<TimeProvider>();
                services.AddSingleton(time);
            }
        },
        new RecordingPublisher());

    [Fact]
    public async Task Anonymous_health_is_the_status_alone_and_a_key_shows_which_job_failed()
    {
        await _simulator.SetFaultAsync(new { mode = "error", status = 500 });
        using var app = NewApp();
        using var operatorClient = app.CreateOperatorClient();
        using var anonymous = app.CreateClient();
        Assert.Equal(RunOutcomes.Failed, (await SchedulerApp.WaitFinishedAsync(operatorClient, await app.RunAsync(operatorClient, JobId))).Outcome);

        using var bare = await anonymous.GetAsync("/health");
        var anonymousBody = await bare.Content.ReadAsStringAsync();
        var detailed = await operatorClient.GetFromJsonAsync<JsonElement>("/health");

        Assert.True(bare.IsSuccessStatusCode, $"/health answered {bare.StatusCode}: probes keep working");
        var property = Assert.Single(JsonDocument.Parse(anonymousBody).RootElement.EnumerateObject());
        Assert.Equal(("status", "Degraded"), (property.Name, property.Value.GetString()));
        Assert.DoesNotContain(JobId, anonymousBody, StringComparison.Ordinal);
        Assert.Equal("Degraded", detailed.GetProperty("status").GetString());
        Assert.Contains(JobId, detailed.GetProperty("checks").GetProperty("scheduler-jobs").GetProperty("description").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_job_health_is_computed_once_per_five_seconds_not_per_probe()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var app = NewApp(time);
        using var client = app.CreateOperatorClient();
        Assert.Equal("Healthy", await StatusAsync(client));

        await _simulator.SetFaultAsync(new { mode = "error", status = 500 });
        Assert.Equal(RunOutcomes.Failed, (await SchedulerApp.WaitFinishedAsync(client, await app.RunAsync(client, JobId))).Outcome);
        var withinTheCache = await StatusAsync(client);
        time.Advance(TimeSpan.FromSeconds(5));
        var afterIt = await StatusAsync(client);

        Assert.Equal("Healthy", withinTheCache);
        Assert.Equal("Degraded", afterIt);
    }

    private static async Task<string?> StatusAsync(HttpClient client) =>
        (await client.GetFromJsonAsync<JsonElement>("/health")).GetProperty("status").GetString();
}
