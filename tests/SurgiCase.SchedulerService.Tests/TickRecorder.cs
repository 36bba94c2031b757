using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

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

    public async Task StartAsync() =>
        (_app, BaseAddress) = await LoopbackKestrel.StartAsync(
            _ => { },
            app => app.MapPost("/tick/{replica}", (string replica) =>
            {
                _calls.Enqueue((replica, DateTimeOffset.UtcNow));
                return Results.Ok(new { status = "ok" });
            }));

    public async ValueTask DisposeAsync() => await LoopbackKestrel.StopAsync(_app);
}
