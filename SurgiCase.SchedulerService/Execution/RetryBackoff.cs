using SurgiCase.SchedulerService.Jobs;

namespace SurgiCase.SchedulerService.Execution;

/// <summary>Exponential backoff with jitter: <c>initial × multiplier^(attempt-1)</c>, capped, then ± jitter.</summary>
internal static class RetryBackoff
{
    /// <param name="attempt">The attempt that just failed, from 1.</param>
    /// <param name="random">A value in [0, 1) choosing where in the jitter band the delay falls.</param>
    public static TimeSpan DelayAfter(RetryPolicyOptions policy, int attempt, double random)
    {
        var seconds = policy.InitialDelaySeconds * Math.Pow(policy.Multiplier, attempt - 1);
        seconds = Math.Min(seconds, policy.MaxDelaySeconds);
        var jitter = seconds * policy.JitterRatio * ((random * 2) - 1);
        return TimeSpan.FromSeconds(Math.Max(0, seconds + jitter));
    }
}
