namespace SurgiCase.Messaging;

/// <summary>
/// Spreads retries: after a shared outage every replica and every message would otherwise come back at the same
/// instants and hit the recovering dependency together. A delay keeps its cap and loses up to a fifth.
/// </summary>
public static class Jitter
{
    public const double Ratio = 0.2;

    /// <param name="random">A value in [0, 1), e.g. <c>Random.Shared.NextDouble()</c>: where in the band the delay falls.</param>
    public static TimeSpan Apply(TimeSpan delay, double random) => delay * (1 - (Ratio * Math.Clamp(random, 0, 1)));
}
