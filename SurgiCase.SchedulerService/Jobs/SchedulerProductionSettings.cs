namespace SurgiCase.SchedulerService.Jobs;

/// <summary>
/// What the scheduler must be given outside Development (see <see cref="ProductionConfiguration"/>): the local
/// defaults in appsettings.json would put history in the container's throwaway disk and call Aspire names.
/// </summary>
public static class SchedulerProductionSettings
{
    public static IReadOnlyList<RequiredSetting> Required { get; } =
    [
        new(["ConnectionStrings:" + SchedulerServiceExtensions.ClusterConnectionName, SchedulerOptions.SectionName + ":DataDirectory"],
            "PostgreSQL for run history, outbox and the clustered Quartz store, or a folder on a persistent volume for SQLite"),
        new("Aws:Region", "the region of the job-events queue"),
        new(SurgiCaseApiOptions.SectionName + ":BaseAddress", "the SurgiCase API the report jobs call"),
        new(SurgiCase.Storage.KeyRing.KeyRingOptions.SectionName + ":KeyEncryptionKey",
            "the key (32 bytes, base64) that encrypts the operations page's Data Protection keys in the database"),
    ];
}
