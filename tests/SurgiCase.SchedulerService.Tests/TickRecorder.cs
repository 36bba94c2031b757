using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace SurgiCase.SchedulerService.Tests;

/// <summary>
/// A loopback HTTP endpoint (Kestrel) a job calls: <c>POST /tick/{replica}</c> records who called and when. Each
/// replica is configured with its own path, so a call says which process ran the job.
/// </summary>
internal sealed class TickRecorder : IAsyncDisposable
{
    private readonly ConcurrentQueue<(string Replica, DateTimeOffset At)> _calls = new();
    private WebApplication? _app;

    public Uri BaseAddress { get; private set; } = null!;

    public IReadOnlyList<(string Replica, DateTimeOffset At)> Calls => [.. _calls];

    public Uri TickUrl(string replica) => new(BaseAddress, $"/tick/{replica}");

    public async Task StartAsync()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _app = builder.Build();
        _app.MapPost("/tick/{replica}", (string replica) =>
        {
            _calls.Enqueue((replica, DateTimeOffset.UtcNow));
            return Results.Ok(new { status = "ok" });
        });
        await _app.StartAsync();
        BaseAddress = new Uri(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
