using System.Diagnostics.Metrics;
using Quartz;

namespace SurgiCase.SchedulerService.Telemetry;

/// <summary>
/// The scheduler's side of the dead man's switch: once a minute, while every Quartz scheduler of this replica is
/// started and neither paused in standby nor shut down, it counts one <c>surgicase.scheduler.heartbeat</c>. The
/// deployment alarms when the sum stays below one (no data counts as breaching), so a scheduler that died, hangs
/// in standby or stopped exporting still reaches a person, from outside the system.
/// </summary>
internal sealed class SchedulerHeartbeat : IHostedService, IDisposable
{
    public const string MetricName = "surgicase.scheduler.heartbeat";

    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    private readonly ISchedulerFactory _schedulerFactory;
    private readonly TimeProvider _time;
    private readonly Counter<long> _beats;
    private IReadOnlyCollection<IScheduler> _schedulers = [];
    private ITimer? _timer;

    public SchedulerHeartbeat(ISchedulerFactory schedulerFactory, IMeterFactory meterFactory, TimeProvider time)
    {
        _schedulerFactory = schedulerFactory;
        _time = time;
        // The factory hands back the scheduler's one meter for this name, so the beat is exported with the rest.
        _beats = meterFactory.Create(SchedulerTelemetry.Name)
            .CreateCounter<long>(MetricName, "{beat}", "Counted every minute while this replica's Quartz schedulers run.");
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // Registered after the Quartz hosted service, so every scheduler of this replica exists by now.
        _schedulers = await _schedulerFactory.GetAllSchedulers(cancellationToken);
        _timer = _time.CreateTimer(_ => Beat(), null, Interval, Interval);
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _timer?.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        return Task.CompletedTask;
    }

    public void Dispose() => _timer?.Dispose();

    private void Beat()
    {
        if (_schedulers.Count > 0 && _schedulers.All(s => s.Status == SchedulerStatus.Running))
        {
            _beats.Add(1);
        }
    }
}
