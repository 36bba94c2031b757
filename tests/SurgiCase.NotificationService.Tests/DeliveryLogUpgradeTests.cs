using System.Data.Common;
using Dapper;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using SurgiCase.Messaging.Contracts;
using SurgiCase.NotificationService.Storage;
using SurgiCase.Storage;

namespace SurgiCase.NotificationService.Tests;

/// <summary>
/// A database the first release created, upgraded in place when this version starts on it: the columns the alerts
/// release added appear, the old rows stay and stay usable, new deliveries work, and a second start changes nothing.
/// </summary>
public abstract class DeliveryLogUpgradeTests : IAsyncLifetime
{
    private static readonly string[] AddedColumns = ["severity", "error_message", "owner", "lease_expires", "in_flight", "in_doubt", "content_hash", "acknowledged_at", "acknowledged_by", "reminders_sent", "next_reminder_at", "reminders_ended", "escalated_to"];

    private readonly List<SqlDatabase> _databases = [];

    private protected FakeTimeProvider Time { get; } = new(TestEvents.At);

    /// <summary>The engine's dialect, for the first release's DDL.</summary>
    private protected abstract SqlDialect Dialect { get; }

    /// <summary>The database as this version opens it (a start of the service).</summary>
    private protected abstract SqlDatabase OpenDatabase();

    /// <summary>A plain connection to the same database, outside the storage seam (the first release's view of it).</summary>
    private protected abstract Task<DbConnection> OpenRawAsync();

    /// <summary>The delivery log's column names as the engine's catalogue lists them.</summary>
    private protected abstract Task<IReadOnlyList<string>> ColumnsAsync(DbConnection connection);

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public virtual async Task DisposeAsync()
    {
        foreach (var database in _databases)
        {
            await database.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_first_release_delivery_log_is_upgraded_in_place_and_keeps_its_rows()
    {
        await CreateFirstReleaseTableAsync();
        var log = NewLog();

        var rows = await log.ListAsync(10, CancellationToken.None);

        await using (var raw = await OpenRawAsync())
        {
            Assert.Superset(AddedColumns.ToHashSet(), (await ColumnsAsync(raw)).ToHashSet());
            Assert.Contains("lease_until", await ColumnsAsync(raw)); // nothing is dropped
        }

        Assert.Equal(["old-failed", "old-sending", "old-sent"], rows.Select(r => r.EventId));
        var sent = rows.Single(r => r.EventId == "old-sent");
        Assert.Equal(
            ("sent", "email", "ses-old", 1, "Nightly export failed", "ops@surgicase.local", (string?)null),
            (sent.Status, sent.Channel, sent.SesMessageId, sent.Attempts, sent.Subject, string.Join(',', sent.Recipients), sent.Severity));
        Assert.Equal(TestEvents.At.AddMinutes(-59), sent.SentAt);
        Assert.Equal("SES throttled", rows.Single(r => r.EventId == "old-failed").LastError);
        Assert.Equal("<p>old</p>", await log.GetHtmlAsync(sent.Id, CancellationToken.None));
    }

    [Fact]
    public async Task Old_rows_are_claimed_as_before_and_a_new_delivery_works_after_the_upgrade()
    {
        await CreateFirstReleaseTableAsync();
        var log = NewLog();

        var sent = await log.TryClaimAsync(Request("old-sent"), CancellationToken.None);
        Assert.Equal(ClaimOutcome.AlreadyDelivered, sent.Outcome);

        var failed = await log.TryClaimAsync(Request("old-failed"), CancellationToken.None);
        Assert.Equal((ClaimOutcome.Claimed, 2, false), (failed.Outcome, failed.Attempts, failed.InDoubt));
        Assert.True(await log.MarkDeliveredAsync(failed, DeliveryStatus.Sent, DeliveryChannel.Email, "ses-retry", null, CancellationToken.None));

        // The first release's claim has no owner and no lease this version reads (its lease_until is ignored): it is
        // taken over rather than left 'sending' for ever, and flagged in doubt since that release may have sent it.
        var stuck = await log.TryClaimAsync(Request("old-sending"), CancellationToken.None);
        Assert.Equal((ClaimOutcome.Claimed, 2, true), (stuck.Outcome, stuck.Attempts, stuck.InDoubt));
        Assert.Equal(ClaimOutcome.InProgress, (await log.TryClaimAsync(Request("old-sending"), CancellationToken.None)).Outcome);
        Assert.True(await log.MarkFailedAsync(stuck, "SES down", CancellationToken.None));

        var fresh = await log.TryClaimAsync(Request("new-event") with { Severity = "Critical", ErrorMessage = "boom" }, CancellationToken.None);
        Assert.Equal((ClaimOutcome.Claimed, 1), (fresh.Outcome, fresh.Attempts));
        Assert.True(await log.RecordRenderedAsync(fresh, "subject", ["a@surgicase.local"], null, "<p>new</p>", "new", CancellationToken.None));
        Assert.True(await log.MarkDeliveredAsync(fresh, DeliveryStatus.Sent, DeliveryChannel.Email, "ses-new", null, CancellationToken.None));

        var rows = (await log.ListAsync(10, CancellationToken.None)).ToDictionary(r => r.EventId);
        Assert.Equal(4, rows.Count);
        Assert.Equal(("sent", "ses-retry"), (rows["old-failed"].Status, rows["old-failed"].SesMessageId));
        Assert.Equal(("failed", "SES down"), (rows["old-sending"].Status, rows["old-sending"].LastError));
        Assert.Equal(("sent", "ses-new", "Critical"), (rows["new-event"].Status, rows["new-event"].SesMessageId, rows["new-event"].Severity));
    }

    [Fact]
    public async Task Starting_again_on_an_upgraded_database_changes_nothing()
    {
        await CreateFirstReleaseTableAsync();
        var first = OpenDatabase();
        _databases.Add(first);
        await first.EnsureSchemaAsync(CancellationToken.None);
        var (columns, rows) = await SnapshotAsync();

        var second = OpenDatabase();
        _databases.Add(second);
        await second.EnsureSchemaAsync(CancellationToken.None);

        var (columnsAfter, rowsAfter) = await SnapshotAsync();
        Assert.Equal(columns, columnsAfter);
        Assert.Equal(rows, rowsAfter);
        Assert.Equal(3, rowsAfter.Count);

        // The database had no history (made before there was one); it now has every version, each once.
        await using var raw = await OpenRawAsync();
        Assert.Equal(
            DeliveryLogSchema.Table.Migrations.Select(m => (long)m.Version),
            await raw.QueryAsync<long>("SELECT version FROM schema_history WHERE schema_name = 'delivery-log' ORDER BY version"));
    }

    [Fact]
    public void A_column_name_that_is_not_a_plain_identifier_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => new SqlColumn("delivery_log", "x; DROP TABLE delivery_log", _ => "TEXT NULL"));
        Assert.Equal("Column", error.ParamName);
    }

    private protected IDeliveryLog NewLog()
    {
        var database = OpenDatabase();
        _databases.Add(database);
        return new SqlDeliveryLog(database, Options.Create(new NotificationOptions { ClaimLease = TimeSpan.FromMinutes(2) }), Time);
    }

    private static ClaimRequest Request(string eventId) => new(eventId, MessageTypes.JobFailed, "job-old", "Nightly export", "HttpStatus", TestEvents.At);

    private async Task<(IReadOnlyList<string> Columns, IReadOnlyList<string> Rows)> SnapshotAsync()
    {
        await using var raw = await OpenRawAsync();
        var rows = await raw.QueryAsync<(long Id, string EventId, string Status, long Attempts, string? LeaseUntil, string? Severity, long InFlight)>(
            "SELECT id, event_id, status, attempts, lease_until, severity, in_flight FROM delivery_log ORDER BY id");
        return (await ColumnsAsync(raw), rows.Select(r => r.ToString()).ToList());
    }

    /// <summary>The delivery log exactly as the first release (commit f40da93) created and filled it.</summary>
    private protected async Task CreateFirstReleaseTableAsync()
    {
        await using var raw = await OpenRawAsync();
        await raw.ExecuteAsync(FirstReleaseDdl(Dialect));
        var at = TestEvents.At.AddHours(-1);
        await raw.ExecuteAsync(
            """
            INSERT INTO delivery_log (event_id, message_type, job_id, job_name, error_kind, occurred_at, subject, status, channel,
                recipients, ses_message_id, attempts, created_at, sent_at, lease_until, last_error, html, text)
            VALUES (@EventId, 'JobFailed', 'job-old', 'Nightly export', 'HttpStatus', @At, @Subject, @Status, @Channel,
                @Recipients, @SesMessageId, 1, @At, @SentAt, @LeaseUntil, @LastError, @Html, @Text)
            """,
            new[]
            {
                OldRow("old-sent", "sent", SqlTime.Format(at), null, "ses-old", "Nightly export failed", sentAt: SqlTime.Format(at.AddMinutes(1))),
                // Claimed by a first-release consumer that died mid-send; its lease (in the old text column) still runs.
                OldRow("old-sending", "sending", SqlTime.Format(at), SqlTime.Format(TestEvents.At.AddHours(1)), null, "Nightly export failed"),
                OldRow("old-failed", "failed", SqlTime.Format(at), null, null, null, lastError: "SES throttled"),
            });
    }

    private static object OldRow(
        string eventId, string status, string at, string? leaseUntil, string? sesMessageId, string? subject, string? sentAt = null, string? lastError = null) =>
        new
        {
            EventId = eventId, Status = status, At = at, LeaseUntil = leaseUntil, SesMessageId = sesMessageId, Subject = subject,
            Channel = sesMessageId is null ? null : "email", Recipients = subject is null ? null : "ops@surgicase.local",
            SentAt = sentAt, LastError = lastError, Html = subject is null ? null : "<p>old</p>", Text = subject is null ? null : "old",
        };

    // Copied from SurgiCase.NotificationService/Storage/DeliveryLogSchema.cs at f40da93: the schema operators upgrade from.
    private static string FirstReleaseDdl(SqlDialect sql) => $"""
        CREATE TABLE IF NOT EXISTS delivery_log (
            id             {sql.IdentityKey},
            event_id       TEXT NOT NULL UNIQUE,
            message_type   TEXT NOT NULL,
            job_id         TEXT NOT NULL,
            job_name       TEXT NOT NULL,
            error_kind     TEXT NULL,
            occurred_at    TEXT NOT NULL,
            subject        TEXT NULL,
            status         TEXT NOT NULL,
            channel        TEXT NULL,
            recipients     TEXT NULL,
            note           TEXT NULL,
            ses_message_id TEXT NULL,
            attempts       {sql.Integer} NOT NULL DEFAULT 0,
            created_at     TEXT NOT NULL,
            sent_at        TEXT NULL,
            lease_until    TEXT NULL,
            last_error     TEXT NULL,
            html           TEXT NULL,
            text           TEXT NULL
        );
        CREATE INDEX IF NOT EXISTS ix_delivery_log_job ON delivery_log (job_id, error_kind, status, occurred_at);
        """;
}
