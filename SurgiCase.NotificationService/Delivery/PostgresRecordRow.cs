namespace SurgiCase.NotificationService.Delivery;

/// <summary>A PostgreSQL delivery-log row (timestamptz arrives as a UTC DateTime).</summary>
internal sealed class PostgresRecordRow : DeliveryLogRow
{
    public int Attempts { get; init; }
    public DateTime CreatedAt { get; init; }
    public DateTime? SentAt { get; init; }

    public override NotificationRecord ToRecord() =>
        ToRecord(Attempts, Utc(CreatedAt), SentAt is { } sent ? Utc(sent) : null);

    public static DateTimeOffset Utc(DateTime time) => new(DateTime.SpecifyKind(time, DateTimeKind.Utc));
}
