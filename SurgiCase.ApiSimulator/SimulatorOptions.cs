namespace SurgiCase.ApiSimulator;

/// <summary>Bound from the <c>Simulator</c> configuration section.</summary>
public sealed class SimulatorOptions
{
    public const string SectionName = "Simulator";

    /// <summary>When set, report endpoints answer 401 unless <c>X-Api-Key</c> equals it.</summary>
    public string? RequiredApiKey { get; set; }
}
