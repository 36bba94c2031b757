namespace SurgiCase.SecretsService;

/// <summary>What the SecretsService must be given outside Development (see <see cref="ProductionConfiguration"/>).</summary>
public static class SecretsProductionSettings
{
    public static IReadOnlyList<RequiredSetting> Required { get; } =
    [
        new("Aws:Region", "the region of Secrets Manager and of the job-events queue"),
    ];
}
