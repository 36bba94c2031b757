extern alias simulator;

using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SimulatorExtensions = simulator::Microsoft.Extensions.Hosting.SimulatorExtensions;

namespace SurgiCase.SchedulerService.Tests;

/// <summary>The real ApiSimulator on a loopback port (Kestrel, so resets and refusals are real TCP events).</summary>
public sealed class SimulatorHost(IReadOnlyDictionary<string, string?>? settings = null) : IAsyncLifetime
{
    private WebApplication? _app;

    public Uri BaseAddress { get; private set; } = null!;

    public HttpClient Control { get; } = new();

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        if (settings is not null)
        {
            // e.g. Simulator:RequiredApiKey, so report calls must carry the key.
            builder.Configuration.AddInMemoryCollection(settings);
        }

        builder.Logging.ClearProviders();
        SimulatorExtensions.AddApiSimulator(builder);
        _app = builder.Build();
        SimulatorExtensions.MapApiSimulatorEndpoints(_app);
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseAddress = new Uri(address);
        Control.BaseAddress = BaseAddress;
    }

    public async Task SetFaultAsync(object fault)
    {
        using var response = await Control.PostAsJsonAsync("/faults", fault);
        response.EnsureSuccessStatusCode();
    }

    public async Task ClearFaultAsync()
    {
        using var response = await Control.DeleteAsync("/faults");
        response.EnsureSuccessStatusCode();
    }

    public async Task DisposeAsync()
    {
        Control.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
