using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SurgiCase.Messaging.Contracts;
using SurgiCase.SchedulerService.Storage;
using SurgiCase.Testing;

namespace SurgiCase.SchedulerService.Tests;

/// <summary>
/// Report jobs read the SurgiCase API key through the SecretsService (<c>surgicase/api</c>, field <c>api_key</c>) and
/// send it as <c>X-Api-Key</c>; the simulator demands that key. The SecretsService is a shaped stub on loopback.
/// </summary>
public sealed class ApiCredentialTests : IAsyncLifetime
{
    private const string Payment = "weekly-provider-payment-report";
    private const string CallerKey = "scheduler-secrets-test-key";
    private readonly string _apiKey = "api-key-" + Guid.NewGuid().ToString("N");
    private readonly SecretsServiceStub _secrets = new(CallerKey);
    private readonly SimulatorHost _simulator;
    private readonly RecordingPublisher _publisher = new();
    private readonly TelemetryCapture _telemetry = new();

    public ApiCredentialTests() =>
        _simulator = new SimulatorHost(new Dictionary<string, string?> { ["Simulator:RequiredApiKey"] = _apiKey });

    public async Task InitializeAsync()
    {
        await _secrets.InitializeAsync();
        await _simulator.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        _telemetry.Dispose();
        await _simulator.DisposeAsync();
        await _secrets.DisposeAsync();
    }

    private SchedulerApp NewApp(Dictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["SurgiCaseApi:ApiKeySecretName"] = "surgicase/api",
            ["SurgiCaseApi:ApiKeySecretField"] = "api_key",
            ["SecretsClient:BaseAddress"] = _secrets.BaseAddress.ToString(),
            ["SecretsClient:ApiKey"] = CallerKey,
        };
        foreach (var (key, value) in extra ?? [])
        {
            settings[key] = value;
        }

        return new SchedulerApp(_simulator.BaseAddress, settings, services => services.AddSingleton<ILoggerProvider>(_telemetry.CreateLoggerProvider()), _publisher);
    }

    [Fact]
    public async Task The_key_read_through_SecretsService_is_accepted_by_the_API_and_never_logged_or_tagged()
    {
        _secrets.SetSecret("surgicase/api", new { api_key = _apiKey });
        using var app = NewApp();
        using var client = app.CreateOperatorClient();

        var run = await SchedulerApp.WaitFinishedAsync(client, await app.RunAsync(client, Payment));

        Assert.Equal(RunOutcomes.Succeeded, run.Outcome);
        Assert.True(_secrets.Lookups >= 1);
        var requests = await _simulator.Control.GetFromJsonAsync<List<ReceivedCall>>("/requests");
        Assert.True(Assert.Single(requests!).HadApiKey);
        var lines = _telemetry.Lines;
        Assert.Contains(lines, l => l.Contains(run.RunId, StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains(_apiKey, StringComparison.Ordinal));
        Assert.DoesNotContain(_apiKey, await client.GetStringAsync($"/runs/{run.RunId}"));
    }

    [Fact]
    public async Task A_key_the_API_does_not_accept_fails_the_run_with_HTTP_status_401()
    {
        _secrets.SetSecret("surgicase/api", new { api_key = "not-the-key" });
        using var app = NewApp();
        using var client = app.CreateOperatorClient();

        var run = await SchedulerApp.WaitFinishedAsync(client, await app.RunAsync(client, Payment));

        Assert.Equal(RunOutcomes.Failed, run.Outcome);
        Assert.Equal(ErrorKinds.HttpStatus, run.ErrorKind);
        Assert.Equal("Provider payment report failed with HTTP status 401", run.ErrorMessage);
    }

    [Fact]
    public async Task SecretsService_down_with_no_cached_copy_fails_as_SecretsUnavailable_naming_the_secret()
    {
        _secrets.SetSecret("surgicase/api", new { api_key = _apiKey });
        await _secrets.StopAsync();
        using var app = NewApp();
        using var client = app.CreateOperatorClient();

        var run = await SchedulerApp.WaitFinishedAsync(client, await app.RunAsync(client, Payment));

        Assert.Equal(RunOutcomes.Failed, run.Outcome);
        Assert.Equal(ErrorKinds.SecretsUnavailable, run.ErrorKind);
        Assert.Equal(
            "Provider payment report failed: the SurgiCase API credential could not be obtained from secret surgicase/api " +
            "(SecretsService unreachable and no cached copy in this process)", run.ErrorMessage);
        var failed = Assert.IsType<JobFailed>(Assert.Single(await _publisher.WaitForRunAsync(run.RunId)));
        Assert.Equal(ErrorKinds.SecretsUnavailable, failed.ErrorKind);
        Assert.Contains(failed.Troubleshooting!, s => s.StartsWith("Check SecretsService health", StringComparison.Ordinal));
        Assert.Contains(failed.Troubleshooting!, s => s.StartsWith("Check AWS Secrets Manager status", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SecretsService_down_after_a_successful_read_still_runs_on_the_clients_cached_copy()
    {
        _secrets.SetSecret("surgicase/api", new { api_key = _apiKey });
        using var app = NewApp();
        using var client = app.CreateOperatorClient();
        Assert.Equal(RunOutcomes.Succeeded, (await SchedulerApp.WaitFinishedAsync(client, await app.RunAsync(client, Payment))).Outcome);

        await _secrets.StopAsync();
        var run = await SchedulerApp.WaitFinishedAsync(client, await app.RunAsync(client, Payment));

        Assert.Equal(RunOutcomes.Succeeded, run.Outcome);
    }

    [Fact]
    public async Task After_SecretsUnavailable_the_recovery_probes_the_key_lookup_and_re_runs_once_it_succeeds()
    {
        _secrets.SetSecret("surgicase/api", new { other = "x" });
        using var app = NewApp();
        using var client = app.CreateOperatorClient();
        var failed = await SchedulerApp.WaitFinishedAsync(client, await app.RunAsync(client, Payment));
        Assert.Equal(ErrorKinds.SecretsUnavailable, failed.ErrorKind);
        var recoveryPass = app.Services.GetRequiredService<SurgiCase.SchedulerService.Recovery.AutoRecoveryService>();

        var lookups = _secrets.Lookups;
        await recoveryPass.CheckAsync(CancellationToken.None);
        Assert.True(_secrets.Lookups > lookups, "the probe did not ask the SecretsService");
        var runs = (await client.GetFromJsonAsync<List<RunRecord>>($"/jobs/{Payment}/runs"))!;
        Assert.DoesNotContain(runs, r => r.Trigger == Triggers.Recovery);

        _secrets.SetSecret("surgicase/api", new { api_key = _apiKey });
        await recoveryPass.CheckAsync(CancellationToken.None);
        runs = (await client.GetFromJsonAsync<List<RunRecord>>($"/jobs/{Payment}/runs"))!;
        var recovery = await SchedulerApp.WaitFinishedAsync(client, Assert.Single(runs, r => r.Trigger == Triggers.Recovery).RunId);
        Assert.Equal(RunOutcomes.Succeeded, recovery.Outcome);
        var recovered = Assert.IsType<JobRecovered>(Assert.Single(await _publisher.WaitForRunAsync(recovery.RunId)));
        Assert.Equal("the SecretsService", recovered.Dependency);
        Assert.DoesNotContain(_telemetry.Lines, l => l.Contains(_apiKey, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_secret_without_the_field_is_SecretsUnavailable_and_the_API_is_not_called()
    {
        _secrets.SetSecret("surgicase/api", new { other = "x" });
        using var app = NewApp();
        using var client = app.CreateOperatorClient();

        var run = await SchedulerApp.WaitFinishedAsync(client, await app.RunAsync(client, Payment));

        Assert.Equal(ErrorKinds.SecretsUnavailable, run.ErrorKind);
        Assert.EndsWith("from secret surgicase/api (the secret has no field api_key)", run.ErrorMessage);
        var requests = await _simulator.Control.GetFromJsonAsync<System.Text.Json.JsonElement>("/requests");
        Assert.Equal(0, requests.GetArrayLength());
    }

    [Fact]
    public void A_configured_secret_without_a_SecretsService_key_stops_start_up_naming_the_key()
    {
        using var app = NewApp(new() { ["SecretsClient:ApiKey"] = "" });

        var exception = Assert.ThrowsAny<Exception>(() => app.CreateClient());

        Assert.Contains("SecretsClient:ApiKey", exception.ToString());
    }

    private sealed record ReceivedCall(string Method, string Path, bool HadApiKey);
}
