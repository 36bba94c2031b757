using SurgiCase.Messaging.Contracts;
using SurgiCase.SchedulerService.Execution;
using SurgiCase.SchedulerService.Jobs;

namespace SurgiCase.SchedulerService.Tests;

/// <summary>The key a run sends names its operation: a run's fire time, or the run someone asked for.</summary>
public sealed class IdempotencyKeyTests
{
    [Theory]
    [InlineData(JobScopes.Cluster)]
    [InlineData(JobScopes.Instance)]
    public void A_catch_up_run_sends_the_key_of_the_fire_time_it_stands_for(string scope)
    {
        var job = new JobDefinition { Id = "weekly-referral-report", Scope = scope };
        var fire = new DateTimeOffset(2025, 10, 20, 11, 30, 0, TimeSpan.FromHours(2));

        var scheduled = IdempotencyKeys.For(job, new RunRequest("run-1", job.Id, Triggers.Schedule, null, FireTime: fire));
        var catchUp = IdempotencyKeys.For(job, new RunRequest("run-2", job.Id, Triggers.CatchUp, null, FireTime: fire.ToUniversalTime()));
        var nextFire = IdempotencyKeys.For(job, new RunRequest("run-3", job.Id, Triggers.Schedule, null, FireTime: fire.AddDays(7)));

        Assert.Equal(scheduled, catchUp);
        Assert.StartsWith("weekly-referral-report/fire/2025-10-20T09:30:00Z", scheduled, StringComparison.Ordinal);
        Assert.NotEqual(scheduled, nextFire);
        // An instance job runs on every replica by design, so each replica's run is its own operation.
        Assert.Equal(scope == JobScopes.Instance, scheduled.EndsWith("/" + Environment.MachineName, StringComparison.Ordinal));
    }
}
