using System.Diagnostics;
using SurgiCase.Messaging.Contracts;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;
using SurgiCase.SchedulerService.Jobs;
using SurgiCase.SchedulerService.Recovery;
using SurgiCase.SchedulerService.Storage;
using SurgiCase.SchedulerService.Telemetry;
using SurgiCase.Messaging.Outbox;

namespace SurgiCase.SchedulerService.Execution;

/// <summary>
/// Executes one run of a job: its span, its attempts with backoff (a Polly retry), its history row, its metrics and the
/// events it ends with. Scheduled (Quartz) and manual (queue) runs both come through here.
/// </summary>
internal sealed class JobRunner(
    HttpJobExecutor executor,
    IRunStore store,
    RunHistoryWriter history,
    OutboxDispatcher outbox,
    SchedulerTelemetry telemetry,
    RecoveryPlanner recoveryPlanner,
    IOptions<SchedulerOptions> options,
    TimeProvider timeProvider,
    ILogger<JobRunner> logger)
{
    public async Task<RunCompletion> RunAsync(JobDefinition job, RunRequest request, CancellationToken cancellationToken)
    {
        using var activity = SchedulerTelemetry.ActivitySource.StartActivity(
            $"job {job.Id}", ActivityKind.Internal, request.Parent);
        activity?.SetTag("job.id", job.Id);
        activity?.SetTag("job.run_id", request.RunId);
        activity?.SetTag("job.trigger", request.Trigger);

        var startedAt = timeProvider.GetUtcNow();
        var started = timeProvider.GetTimestamp();
        var traceId = activity?.TraceId.ToHexString();
        await history.MarkStartedAsync(job.Id, request.RunId, startedAt, traceId);
        var run = new RunContext(job, request, executor.ResolveUrl(job), startedAt, traceId);
        SchedulerLog.RunStarted(logger, job.Id, request.RunId, request.Trigger);

        AttemptResult result;
        var attempt = 0;
        var attemptErrors = new List<AttemptError>();
        var idempotencyKey = IdempotencyKeys.For(job, request);
        var timeouts = new RunTimeouts(job, request);
        try
        {
            result = await RetryPipeline(run, timeouts).ExecuteAsync(async token =>
            {
                attempt++;
                var attemptResult = timeouts.Classify(await executor.ExecuteAsync(job, idempotencyKey, token));
                if (RunTimeouts.IsStillRunning(attemptResult))
                {
                    SchedulerLog.StillRunningAfterTimeout(logger, job.Id, request.RunId, attempt);
                }

                if (attemptResult.Outcome == RunOutcomes.Failed)
                {
                    attemptErrors.Add(new AttemptError(attempt, timeProvider.GetUtcNow(), attemptResult.ErrorKind!, attemptResult.ErrorMessage!));
                }

                return attemptResult;
            }, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The host is stopping: record the interruption; a catch-up on the next start covers the fire time.
            var interrupted = new RunCompletion(timeProvider.GetUtcNow(), RunOutcomes.Failed, attempt, ErrorKinds.Unexpected,
                $"{job.EffectiveDisplayName} was interrupted because the scheduler stopped");
            await history.CompleteAsync(job.Id, request.RunId, interrupted, []);
            activity?.SetStatus(ActivityStatusCode.Error, interrupted.ErrorMessage);
            throw;
        }

        activity?.SetTag("job.outcome", result.Outcome);
        activity?.SetTag("job.attempts", attempt);
        var events = await OutcomeEventsAsync(run, result, attempt, attemptErrors, activity);
        var finishedAt = timeProvider.GetUtcNow();
        var recovery = result.Outcome == RunOutcomes.Failed ? recoveryPlanner.PlanFor(job, request, run.Url, result, finishedAt) : null;
        var completion = new RunCompletion(finishedAt, result.Outcome, attempt, result.ErrorKind, result.ErrorMessage,
            events.OfType<JobFailed>().FirstOrDefault()?.Severity ?? events.OfType<JobPartiallyFailed>().FirstOrDefault()?.Severity,
            FailedItems: result.Partial?.FailedItems, // all of them: the event's list is capped, the run history keeps the full one
            Recovery: recovery);
        // The result, its events, its failed items and its pending recovery commit together; the dispatcher publishes the
        // events after (the outbox). Should the commit keep failing, the writer publishes the events itself: an alert must
        // not be lost with the history row (the recovery is, and the log says so).
        var stored = await history.CompleteAsync(job.Id, request.RunId, completion, events);
        if (stored && events.Count > 0)
        {
            outbox.Signal();
        }

        if (stored && recovery is not null)
        {
            telemetry.RecoveryStep(job.Id, "started");
            SchedulerLog.RecoveryProbeStarted(logger, job.Id, request.RunId, recovery.Dependency, recovery.ErrorKind,
                options.Value.Recovery.ProbeInterval);
        }

        telemetry.RunFinished(job.Id, request.Trigger, completion.Outcome, timeProvider.GetElapsedTime(started));
        return completion;
    }

    /// <summary>
    /// A run's attempts: a transient failure is tried again, up to the job's <c>MaxAttempts</c>, after the job's backoff
    /// (<see cref="RetryBackoff"/>) on the injected clock; each failed attempt shows in the history while the run waits.
    /// </summary>
    private ResiliencePipeline<AttemptResult> RetryPipeline(RunContext run, RunTimeouts timeouts) =>
        run.Job.Retry.MaxAttempts <= 1
            ? ResiliencePipeline<AttemptResult>.Empty
            : new ResiliencePipelineBuilder<AttemptResult> { TimeProvider = timeProvider }
                .AddRetry(new RetryStrategyOptions<AttemptResult>
                {
                    MaxRetryAttempts = run.Job.Retry.MaxAttempts - 1,
                    ShouldHandle = static args => ValueTask.FromResult(args.Outcome.Result is { Outcome: RunOutcomes.Failed, IsTransient: true }),
                    // Polly counts retries from 0; a run's attempts count from 1, and the one that just failed is AttemptNumber + 1.
                    DelayGenerator = args =>
                        ValueTask.FromResult<TimeSpan?>(RetryBackoff.DelayAfter(run.Job.Retry, args.AttemptNumber + 1, Random.Shared.NextDouble())),
                    OnRetry = async args =>
                    {
                        var failed = args.Outcome.Result!;
                        var attempt = args.AttemptNumber + 1;
                        SchedulerLog.AttemptFailedRetrying(logger, run.Job.Id, run.Request.RunId, attempt, failed.ErrorKind!, args.RetryDelay);
                        await history.RecordRetryAsync(run.Job.Id, run.Request.RunId, attempt, failed.ErrorKind!, failed.ErrorMessage!);
                        if (timeouts.ShouldWarn(failed))
                        {
                            await WarnAsync(run, failed, attempt, timeProvider.GetUtcNow() + args.RetryDelay);
                        }
                    },
                })
                .Build();

    /// <summary>
    /// The early warning of a critical job's first timed-out attempt, published at once through the outbox while the run
    /// waits to retry; the run's own outcome follows as usual. What the transport refuses stays in the outbox and is retried.
    /// </summary>
    private async Task WarnAsync(RunContext run, AttemptResult failed, int attempt, DateTimeOffset retryAt)
    {
        var warning = JobEventFactory.AttemptTimedOut(run, failed, attempt, retryAt, timeProvider.GetUtcNow());
        try
        {
            await outbox.EnqueueAsync([warning], CancellationToken.None);
            SchedulerLog.AttemptTimeoutWarned(logger, run.Job.Id, run.Request.RunId, attempt, run.Job.Retry.MaxAttempts, warning.EventId, retryAt);
        }
        catch (Exception e)
        {
            // The warning is extra: the run goes on to its retry and its outcome is alerted as always.
            SchedulerLog.AttemptTimeoutWarningFailed(logger, e, run.Job.Id, run.Request.RunId, attempt);
        }
    }

    private async Task<IReadOnlyList<IJobEvent>> OutcomeEventsAsync(
        RunContext run, AttemptResult result, int attempts, IReadOnlyList<AttemptError> attemptErrors, Activity? activity)
    {
        var now = timeProvider.GetUtcNow();
        switch (result.Outcome)
        {
            case RunOutcomes.Failed:
                activity?.SetStatus(ActivityStatusCode.Error, result.ErrorMessage);
                activity?.SetTag("error.type", result.ErrorKind);
                SchedulerLog.RunFailed(logger, run.Job.Id, run.Request.RunId, result.ErrorKind!, result.ErrorMessage!, attempts);
                SchedulerLog.SeedFailed(logger, result.ErrorMessage!);
                return [JobEventFactory.Failed(run, result, attempts, attemptErrors, now)];

            case RunOutcomes.Partial:
                SchedulerLog.RunPartiallyFailed(logger, run.Job.Id, run.Request.RunId, result.Partial!.Failed, result.Partial.Total);
                if (AlertSeverity.ForPartial(run.Job, result.Partial) is not { } severity)
                {
                    SchedulerLog.PartialNotAlerted(logger, run.Job.Id, run.Request.RunId, AlertSeverity.FailedPercent(result.Partial),
                        run.Job.PartialFailure.ThresholdPercent);
                    return [];
                }

                return [JobEventFactory.PartiallyFailed(run, result, result.Partial, severity, attempts, now)];

            default:
                SchedulerLog.RunSucceeded(logger, run.Job.Id, run.Request.RunId, attempts);
                SchedulerLog.SeedGenerated(logger, run.Job.SentenceName);
                IReadOnlyList<RunRecord> failures;
                try
                {
                    failures = await store.FailuresSinceLastSuccessAsync(run.Job.Id, run.Request.RunId, CancellationToken.None);
                }
                catch (Exception e)
                {
                    // Without the history a recovery cannot be told; the success itself must still be recorded.
                    SchedulerLog.RunHistoryStepFailed(logger, e, run.Job.Id, run.Request.RunId, "recovery check");
                    return [];
                }

                return failures.Count > 0 ? [JobEventFactory.Recovered(run, failures, now)] : [];
        }
    }
}
