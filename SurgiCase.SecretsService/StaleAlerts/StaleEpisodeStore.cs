using System.Data.Common;
using Dapper;
using SurgiCase.Messaging.Outbox;
using SurgiCase.Storage;

namespace SurgiCase.SecretsService.StaleAlerts;

/// <summary>The stale episode of this service: one row, shared by every replica that uses the same database.</summary>
/// <param name="EpisodeId">Names the episode; the alert's and the notice's event ids are derived from it.</param>
/// <param name="StaleSince">When the first replica saw a secret served stale in this episode.</param>
/// <param name="SecretNames">The secrets seen stale, comma-separated (names only, never values).</param>
/// <param name="AlertedAt">When the warning was stored in the outbox; null while the episode is younger than the threshold.</param>
/// <param name="EndedAt">When a replica saw the secrets fresh again; null while the episode lasts.</param>
internal sealed record StaleEpisode(string EpisodeId, DateTimeOffset StaleSince, string SecretNames, DateTimeOffset? AlertedAt, DateTimeOffset? EndedAt);

/// <summary>
/// Keeps the episode in the SecretsService's database beside the outbox, so "one warning per episode" holds across
/// restarts and, with PostgreSQL (<c>ConnectionStrings:Secrets</c>), across replicas: every change is a conditional
/// UPDATE that one replica wins, and the alert or the notice goes into the outbox in the same transaction.
/// </summary>
internal sealed class StaleEpisodeStore(SqlDatabase database)
{
    private const string RowId = "stale-secrets";

    public static SqlSchema Table { get; } = new("secrets_stale_episode", SqlMigration.Run(1, "create secrets_stale_episode", _ => """
        CREATE TABLE IF NOT EXISTS secrets_stale_episode (
            id           TEXT PRIMARY KEY,
            episode_id   TEXT NOT NULL,
            stale_since  TEXT NOT NULL,
            secret_names TEXT NOT NULL,
            alerted_at   TEXT NULL,
            ended_at     TEXT NULL
        );
        """));

    public async Task<StaleEpisode?> GetAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            """
            SELECT episode_id AS EpisodeId, stale_since AS StaleSince, secret_names AS SecretNames, alerted_at AS AlertedAt, ended_at AS EndedAt
            FROM secrets_stale_episode WHERE id = @Id
            """,
            new { Id = RowId }, cancellationToken: cancellationToken));
        return row is null
            ? null
            : new StaleEpisode(row.EpisodeId, SqlTime.Parse(row.StaleSince)!.Value, row.SecretNames, SqlTime.Parse(row.AlertedAt), SqlTime.Parse(row.EndedAt));
    }

    /// <summary>Opens a new episode unless one is open; <paramref name="previous"/> is the ended one this replaces, if any.</summary>
    /// <returns>True when this call opened it (another replica may have been first).</returns>
    public async Task<bool> TryOpenAsync(string? previous, string episodeId, DateTimeOffset staleSince, string secretNames, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var parameters = new { Id = RowId, Episode = episodeId, Since = SqlTime.Format(staleSince), Names = secretNames, Previous = previous };
        var changed = previous is null
            ? await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO secrets_stale_episode (id, episode_id, stale_since, secret_names) VALUES (@Id, @Episode, @Since, @Names)
                ON CONFLICT (id) DO NOTHING
                """,
                parameters, cancellationToken: cancellationToken))
            : await connection.ExecuteAsync(new CommandDefinition(
                """
                UPDATE secrets_stale_episode SET episode_id = @Episode, stale_since = @Since, secret_names = @Names, alerted_at = NULL, ended_at = NULL
                WHERE id = @Id AND episode_id = @Previous AND ended_at IS NOT NULL
                """,
                parameters, cancellationToken: cancellationToken));
        return changed == 1;
    }

    /// <summary>Marks the episode alerted and stores the warning in the outbox, in one transaction, unless another replica did.</summary>
    public Task<bool> TryAlertAsync(string episodeId, DateTimeOffset now, string secretNames, OutboxMessage warning, CancellationToken cancellationToken) =>
        ChangeWithOutboxAsync(
            "UPDATE secrets_stale_episode SET alerted_at = @Now, secret_names = @Names WHERE id = @Id AND episode_id = @Episode AND alerted_at IS NULL AND ended_at IS NULL",
            new { Id = RowId, Episode = episodeId, Now = SqlTime.Format(now), Names = secretNames },
            warning,
            cancellationToken);

    /// <summary>Ends the episode, with the notice in the outbox when its warning went out, unless another replica ended it.</summary>
    public Task<bool> TryEndAsync(string episodeId, DateTimeOffset now, OutboxMessage? notice, CancellationToken cancellationToken) =>
        ChangeWithOutboxAsync(
            "UPDATE secrets_stale_episode SET ended_at = @Now WHERE id = @Id AND episode_id = @Episode AND ended_at IS NULL",
            new { Id = RowId, Episode = episodeId, Now = SqlTime.Format(now) },
            notice,
            cancellationToken);

    private async Task<bool> ChangeWithOutboxAsync(string update, object parameters, OutboxMessage? message, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using DbTransaction transaction = await connection.BeginTransactionAsync(cancellationToken);
        var won = await connection.ExecuteAsync(new CommandDefinition(update, parameters, transaction, cancellationToken: cancellationToken));
        if (won != 1)
        {
            await transaction.RollbackAsync(cancellationToken);
            return false;
        }

        if (message is not null)
        {
            await SqlOutboxStore.InsertAsync(connection, transaction, message, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    private sealed class Row
    {
        public string EpisodeId { get; set; } = "";
        public string StaleSince { get; set; } = "";
        public string SecretNames { get; set; } = "";
        public string? AlertedAt { get; set; }
        public string? EndedAt { get; set; }
    }
}
