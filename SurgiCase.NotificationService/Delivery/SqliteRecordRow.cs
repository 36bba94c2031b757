using System.Globalization;

namespace SurgiCase.NotificationService.Delivery;

/// <summary>A SQLite delivery-log row: attempts arrive as a long, times as ISO-8601 text.</summary>
internal sealed class SqliteRecordRow : DeliveryLogRow
{
    public long Attempts { get; init; }
    public string CreatedAt { get; init; } = "";
    public string? SentAt { get; init; }

    public override NotificationRecord ToRecord() =>
        ToRecord((int)Attempts, Parse(CreatedAt), SentAt is null ? null : Parse(SentAt));

    public static DateTimeOffset Parse(string text) =>
        DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
}
