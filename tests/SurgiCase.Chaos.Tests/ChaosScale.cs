namespace SurgiCase.Chaos.Tests;

/// <summary>
/// How big the chaos scenarios are. <c>SURGICASE_CHAOS_SCALE=full</c> runs the figures (2,000 events for 200 jobs,
/// two minutes of SQS refusal; docs/reliability.md reports such a run); anything else, CI's default, the small ones.
/// </summary>
public sealed record ChaosScale(string Name, int Events, int Jobs, TimeSpan SqsOutage, int FailoverKills)
{
    public const string VariableName = "SURGICASE_CHAOS_SCALE";

    public static readonly ChaosScale Small = new("small", Events: 200, Jobs: 20, SqsOutage: TimeSpan.FromSeconds(30), FailoverKills: 1);

    public static readonly ChaosScale Full = new("full", Events: 2_000, Jobs: 200, SqsOutage: TimeSpan.FromMinutes(2), FailoverKills: 3);

    public static ChaosScale Current { get; } =
        string.Equals(Environment.GetEnvironmentVariable(VariableName), "full", StringComparison.OrdinalIgnoreCase) ? Full : Small;
}
