using System.Data.Common;
using Dapper;

namespace SurgiCase.Storage;

/// <summary>
/// Brings a database to the latest version of every registered <see cref="SqlSchema"/>, inside one transaction the
/// caller holds the database's schema lock for (PostgreSQL's advisory lock, SQLite's write lock), so replicas starting
/// together apply each step once and a failed step leaves nothing half done (both engines roll DDL back).
/// </summary>
/// <remarks>
/// Written here rather than taken from DbUp or Evolve: it runs on <see cref="SqlDatabase"/>'s own connections (the SQLite
/// settings, PostgreSQL's data source and search-path schema) inside the transaction that holds the advisory lock, builds
/// each step's DDL from the same dialect seam the stores use, and needs the one step neither library has: add a column
/// only when missing, which is what upgrading a database made before there was a history takes.
/// A database made before the history (no <c>schema_history</c> rows for a part) is the baseline case: it has the part's
/// tables with any subset of the columns added since, so every step is run against it, and the steps that shipped before
/// the history are idempotent by construction (<c>IF NOT EXISTS</c>, <see cref="SqlMigration.AddColumn"/>). Rows are never
/// touched. Versions the history has but this code does not know (a newer release ran, then was rolled back) are left alone.
/// </remarks>
internal static class SqlMigrator
{
    public delegate Task<bool> ColumnExists(DbConnection connection, DbTransaction transaction, SqlColumn column, CancellationToken cancellationToken);

    public static async Task MigrateAsync(
        DbConnection connection, DbTransaction transaction, SqlDialect dialect, IEnumerable<SqlSchema> schemas, ColumnExists columnExists,
        CancellationToken cancellationToken)
    {
        await ExecuteAsync(connection, transaction, $"""
            CREATE TABLE IF NOT EXISTS schema_history (
                schema_name TEXT NOT NULL,
                version     {dialect.Integer} NOT NULL,
                description TEXT NOT NULL,
                applied_at  TEXT NOT NULL,
                PRIMARY KEY (schema_name, version)
            );
            """, cancellationToken);
        var applied = (await connection.QueryAsync<(string Schema, long Version)>(new CommandDefinition(
                "SELECT schema_name, version FROM schema_history", transaction: transaction, cancellationToken: cancellationToken)))
            .ToHashSet();

        foreach (var schema in schemas)
        {
            foreach (var migration in schema.Migrations.Where(m => !applied.Contains((schema.Name, m.Version))))
            {
                await ApplyAsync(connection, transaction, dialect, migration, columnExists, cancellationToken);
                await connection.ExecuteAsync(new CommandDefinition(
                    "INSERT INTO schema_history (schema_name, version, description, applied_at) VALUES (@Schema, @Version, @Description, @AppliedAt)",
                    new { Schema = schema.Name, migration.Version, migration.Description, AppliedAt = SqlTime.Format(DateTimeOffset.UtcNow) },
                    transaction, cancellationToken: cancellationToken));
            }
        }
    }

    private static async Task ApplyAsync(
        DbConnection connection, DbTransaction transaction, SqlDialect dialect, SqlMigration migration, ColumnExists columnExists,
        CancellationToken cancellationToken)
    {
        if (migration.Column is { } column)
        {
            if (!await columnExists(connection, transaction, column, cancellationToken))
            {
                await ExecuteAsync(connection, transaction, column.AddStatement(dialect), cancellationToken);
            }

            return;
        }

        await ExecuteAsync(connection, transaction, migration.Script!(dialect), cancellationToken);
    }

    private static Task ExecuteAsync(DbConnection connection, DbTransaction transaction, string sql, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(sql, transaction: transaction, cancellationToken: cancellationToken));
}
