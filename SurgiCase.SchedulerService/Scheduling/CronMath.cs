using SurgiCase.SchedulerService.Jobs;

namespace SurgiCase.SchedulerService.Scheduling;

/// <summary>Fire-time arithmetic Quartz's <c>CronExpression</c> lacks (it only looks forward).</summary>
internal static class CronMath
{
    // Growing look-back windows: a one-second cron is found in the first, a weekly one in the fourth,
    // without walking every fire time of a long outage.
    private static readonly TimeSpan[] Windows =
    [
        TimeSpan.FromMinutes(2), TimeSpan.FromHours(2), TimeSpan.FromDays(2), TimeSpan.FromDays(9), TimeSpan.FromDays(40), TimeSpan.FromDays(400),
    ];

    /// <summary>The latest fire time in (<paramref name="after"/>, <paramref name="atOrBefore"/>], or null when there is none.</summary>
    public static DateTimeOffset? LatestFire(ConfiguredJob job, DateTimeOffset after, DateTimeOffset atOrBefore)
    {
        if (atOrBefore <= after)
        {
            return null;
        }

        foreach (var window in Windows)
        {
            var from = atOrBefore - window > after ? atOrBefore - window : after;
            DateTimeOffset? latest = null;
            for (var next = job.NextFireAfter(from); next is { } fire && fire <= atOrBefore; next = job.NextFireAfter(fire))
            {
                latest = fire;
            }

            if (latest is not null || from == after)
            {
                return latest;
            }
        }

        return null;
    }

    public static TimeSpan GraceOf(JobDefinition job, SchedulerOptions options) => job.MissedRunGrace ?? options.MissedRunGrace;
}
