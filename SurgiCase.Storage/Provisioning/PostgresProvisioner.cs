using System.Text.RegularExpressions;
using Dapper;
using Npgsql;

namespace SurgiCase.Storage.Provisioning;

/// <summary>
/// Creates each service's login and schema in one database, run with the master login before the services start (the
/// AppHost in cluster mode; docs/security.md for AWS). Idempotent: every run sets the passwords it is given, so a rotated
/// password takes effect, and finds the rest as the last run left it. A database from before the per-service logins
/// (every service's tables in <c>public</c>, owned by the master login) is upgraded in the same transaction: each
/// service's tables move to its schema with their rows, and everything in a service's schema is made its role's.
/// </summary>
/// <remarks>
/// The roles log in and own their schema, nothing else: no CREATE on the database, no membership of another role, no
/// privilege on another schema, so one service's login can neither read nor change another's tables. CONNECT on the
/// database is taken from PUBLIC and given to the three roles.
/// </remarks>
public static partial class PostgresProvisioner
{
    // Serialises provisioning runs on one database (the transaction holds it); any constant distinct from the migrations' lock.
    private const long ProvisionLockKey = 0x5375_7267_6943_02;

    public static async Task ProvisionAsync(
        string masterConnectionString, IEnumerable<(ServiceDatabaseLogin Login, string Password)> logins, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(masterConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        async Task Run(string sql) =>
            await connection.ExecuteAsync(new CommandDefinition(sql, transaction: transaction, cancellationToken: cancellationToken));

        await Run($"SELECT pg_advisory_xact_lock({ProvisionLockKey})");
        var database = Identifier(connection.Database);
        await Run($"REVOKE ALL ON DATABASE {database} FROM PUBLIC");
        await Run("REVOKE CREATE ON SCHEMA public FROM PUBLIC");
        foreach (var (login, password) in logins)
        {
            var role = Identifier(login.Role);
            var schema = Identifier(login.Schema);
            if (string.IsNullOrEmpty(password) || password.Contains('\0', StringComparison.Ordinal))
            {
                throw new ArgumentException($"The password for the database login {login.Role} is empty or holds a NUL character.", nameof(logins));
            }

            await Run($"""
                DO $$ BEGIN
                    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = {Literal(login.Role)}) THEN
                        CREATE ROLE {role} NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS;
                    END IF;
                END $$
                """);
            // Only LOGIN and the password here: PostgreSQL 16 lets a master that is no superuser (RDS) name the
            // SUPERUSER or REPLICATION attribute of a role in ALTER ROLE not even to deny it; CREATE ROLE above denied them.
            // The value never reaches a log of ours; PostgreSQL logs it only with log_statement = 'all' or 'ddl'.
            await Run($"ALTER ROLE {role} WITH LOGIN PASSWORD {Literal(password)}");
            // A non-superuser master (RDS) may hand a schema to a role only as a member of it.
            await Run($"GRANT {role} TO CURRENT_USER");
            await Run($"ALTER ROLE {role} SET search_path TO {schema}");
            await Run($"GRANT CONNECT ON DATABASE {database} TO {role}");
            await Run($"CREATE SCHEMA IF NOT EXISTS {schema} AUTHORIZATION {role}");
            await Run($"ALTER SCHEMA {schema} OWNER TO {role}");
            await Run($"REVOKE ALL ON SCHEMA {schema} FROM PUBLIC");
            await MoveLegacyTablesAsync(connection, transaction, login, cancellationToken);
            await Run($"""
                DO $$ DECLARE object record; BEGIN
                    FOR object IN SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                                  WHERE n.nspname = {Literal(login.Schema)} AND c.relkind IN ('r', 'p', 'v', 'm', 'S')
                                    AND c.relowner <> {Literal(login.Role)}::regrole
                                    -- A serial's sequence follows its table, and refuses an owner of its own.
                                    AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass
                                                    AND d.objid = c.oid AND d.deptype IN ('a', 'i')) LOOP
                        EXECUTE format('ALTER TABLE %I.%I OWNER TO %I', {Literal(login.Schema)}, object.relname, {Literal(login.Role)});
                    END LOOP;
                END $$
                """);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// Moves the service's tables from <c>public</c> (rows, indexes and constraints go with them) and copies its rows of
    /// <c>public.schema_history</c>, so its migrations carry on from where they were.
    /// </summary>
    private static async Task MoveLegacyTablesAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, ServiceDatabaseLogin login, CancellationToken cancellationToken)
    {
        var legacy = (await connection.QueryAsync<string>(new CommandDefinition(
            """
            SELECT t.tablename FROM pg_tables t
            WHERE t.schemaname = 'public'
              AND (t.tablename = ANY(@Tables) OR (@Prefix::text IS NOT NULL AND starts_with(t.tablename, @Prefix)))
              AND NOT EXISTS (SELECT 1 FROM pg_tables o WHERE o.schemaname = @Schema AND o.tablename = t.tablename)
            """,
            new { Tables = login.LegacyTables.ToArray(), Prefix = login.LegacyTablePrefix, login.Schema },
            transaction, cancellationToken: cancellationToken))).ToList();
        if (legacy.Count == 0)
        {
            return;
        }

        var schema = Identifier(login.Schema);
        foreach (var table in legacy)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                $"ALTER TABLE public.{Identifier(table)} SET SCHEMA {schema}", transaction: transaction, cancellationToken: cancellationToken));
        }

        var hasHistory = await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT EXISTS (SELECT 1 FROM pg_tables WHERE schemaname = 'public' AND tablename = 'schema_history')",
            transaction: transaction, cancellationToken: cancellationToken));
        if (hasHistory)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                $"""
                CREATE TABLE IF NOT EXISTS {schema}.schema_history (LIKE public.schema_history INCLUDING ALL);
                INSERT INTO {schema}.schema_history SELECT * FROM public.schema_history WHERE schema_name = ANY(@Parts) ON CONFLICT DO NOTHING;
                """,
                new { Parts = login.LegacyHistoryParts.ToArray() }, transaction, cancellationToken: cancellationToken));
        }
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$")]
    private static partial Regex PlainName();

    /// <summary>A role, schema or database name, double-quoted; only plain lower-case names are accepted.</summary>
    private static string Identifier(string name) =>
        PlainName().IsMatch(name) ? $"\"{name}\"" : throw new ArgumentException($"'{name}' is not a plain lower-case PostgreSQL name.", nameof(name));

    /// <summary>A string literal (standard_conforming_strings, on since PostgreSQL 9.1: only the quote needs doubling).</summary>
    private static string Literal(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";
}
