using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace SurgiCase.SchedulerService.Telemetry;

/// <summary>The scheduler's ActivitySource and Meter (<c>SurgiCase.Scheduler</c>), exported by ServiceDefaults.</summary>
internal sealed class SchedulerTelemetry : IDisposable
{
    public const string Name = "SurgiCase.Scheduler";

    public static readonly ActivitySource ActivitySource = new(Name);

    private readonly Meter _meter;
    private readonly Counter<long> _runs;
    private readonly Histogram<double> _runDuration;
    private readonly Counter<long> _recoverySteps;

    public SchedulerTelemetry(IMeterFactory meterFactory)
    {
        _meter = meterFactory.Create(Name);
        _runs = _meter.CreateCounter<long>("surgicase.scheduler.runs", "{run}", "Job runs finished, by job and outcome.");
        _runDuration = _meter.CreateHistogram<double>("surgicase.scheduler.run.duration", "s", "Duration of job runs, retries included.");
        _recoverySteps = _meter.CreateCounter<long>("surgicase.scheduler.recovery.steps", "{step}",
            "Automatic recovery steps, by job and step: started, probe-failed, probe-succeeded, gave-up, skipped, not-needed.");
    }

    /// <summary>Observes the overdue count the watchdog found last (a gauge callback must not query the database).</summary>
    public void ObserveOverdueJobs(Func<int> overdueCount) =>
        _meter.CreateObservableGauge("surgicase.scheduler.jobs.overdue", overdueCount, "{job}",
            "Critical jobs without a successful run past their fire time plus grace.");

    public void RunFinished(string jobId, string trigger, string outcome, TimeSpan duration)
    {
        var tags = new TagList
        {
            { "job.id", jobId },
            { "job.trigger", trigger },
            { "job.outcome", outcome },
        };
        _runs.Add(1, tags);
        _runDuration.Record(duration.TotalSeconds, tags);
    }

    public void RecoveryStep(string jobId, string step) =>
        _recoverySteps.Add(1, new TagList { { "job.id", jobId }, { "recovery.step", step } });

    public void Dispose() => _meter.Dispose();
}
