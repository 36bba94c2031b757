namespace SurgiCase.SecretsService;

/// <summary>
/// What the SecretsService must be given outside Development (see <see cref="ProductionConfiguration"/>): the home of
/// its warming-alert outbox, so an alert SQS refused is not lost with a container's throwaway disk, and the region.
/// </summary>
public static class SecretsProductionSettings
{
    public static IReadOnlyList<RequiredSetting> Required { get; } =
    [
        new(["ConnectionStrings:" + SecretsServiceExtensions.ConnectionName, SecretsOptions.SectionName + ":DataDirectory"],
            "PostgreSQL for the warming alerts' outbox, or a folder on a persistent volume for SQLite"),
        new("Aws:Region", "the region of Secrets Manager and of the job-events queue"),
    ];

    /// <summary>Also required when the snapshot is on: its key ring is stored encrypted.</summary>
    public static IReadOnlyList<RequiredSetting> Snapshot { get; } =
    [
        new(SurgiCase.Storage.KeyRing.KeyRingOptions.SectionName + ":KeyEncryptionKey",
            "the key (32 bytes, base64) that encrypts the snapshot's Data Protection keys where they are stored"),
    ];
}
