extern alias simulator;

using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SimulatorExtensions = simulator::Microsoft.Extensions.Hosting.SimulatorExtensions;

namespace SurgiCase.SchedulerService.Tests;

/// <summary>The real ApiSimulator on a loopback port (Kestrel, so resets and refusals are real TCP events).</summary>
/// <param name="time">The simulator's clock (its slow mode's delay), e.g. the scheduler's fake clock; the system clock when null.</param>
public sealed class SimulatorHost(IReadOnlyDictionary<string, string?>? settings = null, TimeProvider? time = null) : IAsyncLifetime
{
    private WebApplication? _app;

    public Uri BaseAddress { get; private set; } = null!;

    public HttpClient Control { get; } = new();

    public async Task InitializeAsync()
    {
        (_app, BaseAddress) = await LoopbackKestrel.StartAsync(
            builder =>
            {
                if (settings is not null)
                {
                    // e.g. Simulator:RequiredApiKey, so report calls must carry the key.
                    builder.Configuration.AddInMemoryCollection(settings);
                }

                if (time is not null)
                {
                    builder.Services.AddSingleton(time);
                }

                SimulatorExtensions.AddApiSimulator(builder);
            },
            app => SimulatorExtensions.MapApiSimulatorEndpoints(app.UseApiDefaults()));
        Control.BaseAddress = BaseAddress;
    }

    public async Task SetFaultAsync(object fault)
    {
        using var response = await Control.PostAsJsonAsync("/faults", fault);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>The <c>Idempotency-Key</c> of each report call received, oldest first (null for a call without one).</summary>
    public async Task<IReadOnlyList<string?>> IdempotencyKeysAsync()
    {
        var requests = await Control.GetFromJsonAsync<System.Text.Json.Nodes.JsonArray>("/requests");
        return requests!.Select(r => r!["idempotencyKey"]?.GetValue<string>()).ToList();
    }

    public async Task ClearFaultAsync()
    {
        using var response = await Control.DeleteAsync("/faults");
        response.EnsureSuccessStatusCode();
    }

    public async Task DisposeAsync()
    {
        Control.Dispose();
        await LoopbackKestrel.StopAsync(_app);
    }
}
