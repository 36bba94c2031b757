using System.Reflection;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using SurgiCase.Storage;
using SurgiCase.Storage.Provisioning;
using SurgiCase.Testing;

namespace SurgiCase.AppHost.Tests;

/// <summary>
/// Each service's own PostgreSQL login (<see cref="PostgresProvisioner"/>) on a real server: it owns its schema and
/// migrates it, and can neither read nor write another service's tables; a database from before the logins (the
/// scheduler's and NotificationService's tables in <c>public</c>, SecretsService's in <c>secrets</c>, all the master
/// login's) is upgraded with every row kept.
/// </summary>
public sealed class DatabaseLoginTests : IAsyncLifetime
{
    private readonly PostgresTestDatabase _database = new();

    public Task InitializeAsync() => _database.InitializeAsync();

    public Task DisposeAsync() => _database.DisposeAsync();

    [Fact]
    public async Task Each_login_reaches_its_own_tables_and_no_other_services()
    {
        foreach (var login in ServiceDatabaseLogin.All)
        {
            await using var own = new PostgresDatabase(_database.Login(login), Parts(login));
            await own.EnsureSchemaAsync(CancellationToken.None);
        }

        foreach (var login in ServiceDatabaseLogin.All)
        {
            await using var connection = new NpgsqlConnection(_database.Login(login));
            await connection.OpenAsync();
            Assert.Equal(login.Role, await connection.ExecuteScalarAsync<string>("SELECT current_user"));
            Assert.False(await connection.ExecuteScalarAsync<bool>(
                "SELECT rolsuper OR rolcreatedb OR rolcreaterole OR rolreplication OR rolbypassrls FROM pg_roles WHERE rolname = current_user"));
            // Its own key ring, unqualified: the role's search path finds its schema.
            Assert.Equal(0, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM data_protection_keys"));
            Assert.Equal(login.Schema, await connection.ExecuteScalarAsync<string>("SELECT relnamespace::regnamespace::text FROM pg_class WHERE oid = to_regclass('data_protection_keys')"));

            foreach (var other in ServiceDatabaseLogin.All.Where(o => o != login))
            {
                foreach (var table in await TablesAsync(other.Schema))
                {
                    await AssertRefusedAsync(connection, $"SELECT * FROM {other.Schema}.{table}", login, table);
                    await AssertRefusedAsync(connection, $"DELETE FROM {other.Schema}.{table}", login, table);
                    await AssertRefusedAsync(connection, $"DROP TABLE {other.Schema}.{table}", login, table);
                }

                await AssertRefusedAsync(connection, $"CREATE TABLE {other.Schema}.planted (x int)", login, "a new table");
                await AssertRefusedAsync(connection, $"ALTER ROLE {other.Role} PASSWORD 'taken-over-0123456789'", login, other.Role);
            }

            await AssertRefusedAsync(connection, "CREATE SCHEMA elsewhere", login, "a schema of its own making");
            await AssertRefusedAsync(connection, "CREATE TABLE public.planted (x int)", login, "public");
        }
    }

    [Fact]
    public async Task Provisioning_a_database_from_before_the_logins_moves_every_table_with_its_rows()
    {
        // As earlier versions left it: the master login made the scheduler's and NotificationService's tables in public
        // (one shared schema_history and data_protection_keys), SecretsService's in the schema secrets.
        var master = _database.ConnectionString;
        await using (var shared = new PostgresDatabase(master, Parts(ServiceDatabaseLogin.Scheduler).Concat(Parts(ServiceDatabaseLogin.Notifications))))
        {
            await shared.EnsureSchemaAsync(CancellationToken.None);
        }

        await using (var secrets = new PostgresDatabase(master + ";Search Path=secrets", Parts(ServiceDatabaseLogin.Secrets)))
        {
            await secrets.EnsureSchemaAsync(CancellationToken.None);
        }

        await using (var connection = new NpgsqlConnection(master))
        {
            await connection.ExecuteAsync("""
                CREATE TABLE public.qrtz_locks (sched_name TEXT NOT NULL, lock_name TEXT NOT NULL, PRIMARY KEY (sched_name, lock_name));
                INSERT INTO public.qrtz_locks VALUES ('clustered', 'TRIGGER_ACCESS');
                INSERT INTO public.job_state (job_id, paused, watch_since) VALUES ('payments', 1, '2026-01-01T00:00:00.0000000+00:00');
                INSERT INTO public.data_protection_keys (name, xml, created_at) VALUES ('key-1', '<key/>', '2026-01-01');
                INSERT INTO secrets.data_protection_keys (name, xml, created_at) VALUES ('secrets-key', '<key/>', '2026-01-01');
                """);
        }

        Assert.Contains("job_state", await TablesAsync("public"));
        await _database.ProvisionLoginsAsync();
        // Once more: a second run finds nothing to move and changes nothing.
        await _database.ProvisionLoginsAsync();

        Assert.Equal(["schema_history"], await TablesAsync("public"));
        foreach (var login in ServiceDatabaseLogin.All)
        {
            // The service starts on its own login: its migrations find their history and the tables its own.
            await using var own = new PostgresDatabase(_database.Login(login), Parts(login));
            await own.EnsureSchemaAsync(CancellationToken.None);
        }

        await using var scheduler = new NpgsqlConnection(_database.Scheduler);
        Assert.Equal(1, await scheduler.ExecuteScalarAsync<int>("SELECT paused FROM job_state WHERE job_id = 'payments'"));
        Assert.Equal("TRIGGER_ACCESS", await scheduler.ExecuteScalarAsync<string>("SELECT lock_name FROM qrtz_locks"));
        // The scheduler's ring starts afresh under its own key-encryption key; the old ring is NotificationService's.
        Assert.Equal(0, await scheduler.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM data_protection_keys"));
        Assert.Equal(
            await HistoryAsync(master, "public", "scheduler", "outbox"),
            await HistoryAsync(master, "scheduler", "scheduler", "outbox"));

        await using var notifications = new NpgsqlConnection(_database.Notifications);
        Assert.Equal("key-1", await notifications.ExecuteScalarAsync<string>("SELECT name FROM data_protection_keys"));
        Assert.Equal(
            await HistoryAsync(master, "public", "delivery-log", "dead-letter-replays"),
            await HistoryAsync(master, "notifications", "delivery-log", "dead-letter-replays"));

        await using var secretsLogin = new NpgsqlConnection(_database.Secrets);
        Assert.Equal("secrets-key", await secretsLogin.ExecuteScalarAsync<string>("SELECT name FROM data_protection_keys"));

        await using var catalogue = new NpgsqlConnection(master);
        var foreignOwners = await catalogue.QueryAsync<string>("""
            SELECT n.nspname || '.' || c.relname || ' owned by ' || pg_get_userbyid(c.relowner)
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname IN ('scheduler', 'notifications', 'secrets') AND c.relkind IN ('r', 'S')
              AND pg_get_userbyid(c.relowner) <> 'surgicase_' || n.nspname
            """);
        Assert.Empty(foreignOwners);
    }

    [Fact]
    public async Task A_master_login_that_is_no_superuser_can_provision_as_on_rds()
    {
        // RDS's master: CREATEROLE and CREATEDB, owner of the database, no superuser. Roles of this test's own names,
        // since the server's surgicase_* roles were made by the superuser.
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var master = $"rds_master_{suffix}";
        await using (var superuser = new NpgsqlConnection(_database.ConnectionString))
        {
            await superuser.ExecuteAsync($"CREATE ROLE {master} LOGIN CREATEROLE CREATEDB; ALTER DATABASE {_database.Name} OWNER TO {master}");
        }

        var logins = new[] { new ServiceDatabaseLogin($"svc_a_{suffix}", $"a_{suffix}", [], null, []), new ServiceDatabaseLogin($"svc_b_{suffix}", $"b_{suffix}", [], null, []) };
        var asMaster = new NpgsqlConnectionStringBuilder(_database.ConnectionString) { Username = master }.ToString();
        for (var run = 0; run < 2; run++)
        {
            await PostgresTestDatabase.WithRolesLockedAsync(() =>
                PostgresProvisioner.ProvisionAsync(asMaster, logins.Select(l => (l, "a-password-0123456789abcdef")), CancellationToken.None));
        }

        await using var a = new NpgsqlConnection(_database.Login(logins[0]));
        await a.ExecuteAsync("CREATE TABLE own (x int)");
        await using (var b = new NpgsqlConnection(_database.Login(logins[1])))
        {
            await AssertRefusedAsync(b, $"SELECT * FROM a_{suffix}.own", logins[1], "the other role's table");
        }

        Assert.Equal($"a_{suffix}", await a.ExecuteScalarAsync<string>("SELECT relnamespace::regnamespace::text FROM pg_class WHERE oid = to_regclass('own')"));
    }

    /// <summary>Every table the service makes, read from its own assemblies (the schemas are internal to them).</summary>
    private static IReadOnlyList<SqlSchema> Parts(ServiceDatabaseLogin login)
    {
        var keyRing = new ServiceCollection().AddSharedKeyRing("parts").BuildServiceProvider().GetServices<SqlSchema>();
        IEnumerable<SqlSchema> own = login.Role switch
        {
            "surgicase_scheduler" => [Internal("SurgiCase.SchedulerService", "Storage.SchedulerSchema", "Tables"), Messaging.Outbox.OutboxSchema.Table],
            "surgicase_notifications" => [Internal("SurgiCase.NotificationService", "Storage.DeliveryLogSchema", "Table"),
                Internal("SurgiCase.NotificationService", "Storage.DeadLetterReplaySchema", "Table")],
            _ => [Internal("SurgiCase.SecretsService", "StaleAlerts.StaleEpisodeStore", "Table"), Messaging.Outbox.OutboxSchema.Table],
        };
        return [.. own, .. keyRing];
    }

    private static SqlSchema Internal(string assembly, string type, string property) =>
        (SqlSchema)Assembly.Load(assembly).GetType($"{assembly}.{type}", throwOnError: true)!
            .GetProperty(property, BindingFlags.Public | BindingFlags.Static)!.GetValue(null)!;

    private async Task<List<string>> TablesAsync(string schema)
    {
        await using var connection = new NpgsqlConnection(_database.ConnectionString);
        return (await connection.QueryAsync<string>(
            "SELECT tablename FROM pg_tables WHERE schemaname = @schema ORDER BY tablename", new { schema })).ToList();
    }

    private static async Task<List<string>> HistoryAsync(string master, string schema, params string[] parts)
    {
        await using var connection = new NpgsqlConnection(master);
        return (await connection.QueryAsync<string>(
            $"SELECT schema_name || ' ' || version || ' ' || applied_at FROM {schema}.schema_history WHERE schema_name = ANY(@parts) ORDER BY 1",
            new { parts })).ToList();
    }

    private static async Task AssertRefusedAsync(NpgsqlConnection connection, string sql, ServiceDatabaseLogin login, string what)
    {
        var refused = await Assert.ThrowsAsync<PostgresException>(() => connection.ExecuteAsync(sql));
        Assert.True(refused.SqlState == PostgresErrorCodes.InsufficientPrivilege,
            $"{login.Role} on {what}: expected permission denied, got {refused.SqlState} {refused.MessageText}");
    }
}
