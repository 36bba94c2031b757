namespace SurgiCase.NotificationService;

/// <summary>
/// What the notification service must be given outside Development (see <see cref="ProductionConfiguration"/>):
/// the delivery log's home, the AWS region, the SecretsService, a sender SES has verified, and the key that encrypts the
/// Data Protection key ring (which protects the acknowledge links) in the database.
/// </summary>
public static class NotificationProductionSettings
{
    public static IReadOnlyList<RequiredSetting> Required { get; } =
    [
        new(["ConnectionStrings:" + Storage.DeliveryLogSchema.ConnectionName, NotificationOptions.SectionName + ":DataDirectory"],
            "PostgreSQL for the delivery log, or a folder on a persistent volume for SQLite"),
        new("Aws:Region", "the region of the queue and of SES"),
        new("SecretsClient:BaseAddress", "the SecretsService that serves the recipients"),
        new(NotificationOptions.SectionName + ":Sender", "a sender address SES has verified"),
        new(NotificationOptions.SectionName + ":OperationsPageUrl", "the operations page every alert links to"),
        new(SurgiCase.Storage.KeyRing.KeyRingOptions.SectionName + ":KeyEncryptionKey",
            "the key that encrypts the Data Protection key ring protecting the acknowledge links (at least 32 characters)"),
    ];
}
