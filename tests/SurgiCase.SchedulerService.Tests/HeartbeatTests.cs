using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Quartz;
using SurgiCase.SchedulerService.Telemetry;

namespace SurgiCase.SchedulerService.Tests;

/// <summary>
/// The heartbeat the deployment's dead man's switch alarms on: one per minute while Quartz runs, none otherwise.
/// A real in-memory Quartz scheduler, a fake clock, and a listener on this test's own meter factory only.
/// </summary>
public sealed class HeartbeatTests : IAsyncLifetime, IDisposable
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 10, 20, 9, 0, 0, TimeSpan.Zero));
    private readonly ServiceProvider _metrics = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly MeterListener _listener = new();
    private StandaloneSchedulerFactory _factory = null!;
    private IScheduler _scheduler = null!;
    private SchedulerHeartbeat _heartbeat = null!;
    private long _beats;

    public async Task InitializeAsync()
    {
        var meterFactory = _metrics.GetRequiredService<IMeterFactory>();
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter.Scope, meterFactory) && instrument.Name == SchedulerHeartbeat.MetricName)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref _beats, value));
        _listener.Start();

        _factory = QuartzSchedulerBuilder.Create(quartz => quartz.UseInMemoryStore(_ => { })).Build();
        _scheduler = await _factory.GetScheduler();
        _heartbeat = new SchedulerHeartbeat(_factory, meterFactory, _time);
        await _heartbeat.StartAsync(CancellationToken.None);
    }

    [Fact]
    public async Task A_running_scheduler_beats_once_a_minute()
    {
        await _scheduler.Start();

        _time.Advance(SchedulerHeartbeat.Interval - TimeSpan.FromSeconds(1));
        Assert.Equal(0, Beats);

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, Beats);

        for (var minute = 0; minute < 4; minute++)
        {
            _time.Advance(SchedulerHeartbeat.Interval);
        }

        Assert.Equal(5, Beats);
    }

    [Fact]
    public async Task A_scheduler_in_standby_or_shut_down_does_not_beat()
    {
        // Created but never started: Quartz is in standby.
        _time.Advance(SchedulerHeartbeat.Interval);
        Assert.Equal(0, Beats);

        await _scheduler.Start();
        _time.Advance(SchedulerHeartbeat.Interval);
        Assert.Equal(1, Beats);

        await _scheduler.Standby();
        _time.Advance(SchedulerHeartbeat.Interval);
        Assert.Equal(1, Beats);

        await _scheduler.Start();
        await _scheduler.Shutdown();
        _time.Advance(SchedulerHeartbeat.Interval);
        Assert.Equal(1, Beats);
    }

    [Fact]
    public async Task A_stopped_heartbeat_stays_silent()
    {
        await _scheduler.Start();
        await _heartbeat.StopAsync(CancellationToken.None);

        _time.Advance(SchedulerHeartbeat.Interval * 3);

        Assert.Equal(0, Beats);
    }

    private long Beats => Interlocked.Read(ref _beats);

    public async Task DisposeAsync() => await _factory.DisposeAsync();

    public void Dispose()
    {
        _heartbeat.Dispose();
        _listener.Dispose();
        _metrics.Dispose();
    }
}
