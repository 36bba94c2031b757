namespace SurgiCase.Storage.Provisioning;

/// <summary>
/// A service's own PostgreSQL login: a role that owns one schema, its default search path, and which tables and
/// history rows of a database from before the per-service logins (every service in <c>public</c>) are its.
/// </summary>
/// <param name="Role">The login, e.g. <c>surgicase_scheduler</c>.</param>
/// <param name="Schema">The schema it owns and searches first; the service's tables live there.</param>
/// <param name="LegacyTables">Tables in <c>public</c> that earlier versions created for this service, moved here on upgrade.</param>
/// <param name="LegacyTablePrefix">Tables in <c>public</c> starting with this are the service's too (Quartz's <c>qrtz_</c>), or null.</param>
/// <param name="LegacyHistoryParts">Parts (<see cref="SqlSchema.Name"/>) whose <c>schema_history</c> rows come along with those tables.</param>
public sealed record ServiceDatabaseLogin(
    string Role, string Schema, IReadOnlyList<string> LegacyTables, string? LegacyTablePrefix, IReadOnlyList<string> LegacyHistoryParts)
{
    /// <summary>The scheduler: run history, job state, outbox, the clustered Quartz store, the operations page's key ring.</summary>
    public static ServiceDatabaseLogin Scheduler { get; } = new(
        "surgicase_scheduler", "scheduler",
        // revoked_sessions (scheduler migration 4) came with the logins, but its history row moves with the others, so the
        // table goes too wherever it is: a history saying 4 over a schema without the table would break sign-out.
        ["runs", "run_failed_items", "job_state", "job_actions", "recoveries", "revoked_sessions", "outbox"], "qrtz_",
        // Not data_protection_keys: the shared ring in public was under the one key-encryption key NotificationService
        // keeps; the scheduler starts a ring of its own under its own key (operators sign in again once).
        ["scheduler", "outbox"]);

    /// <summary>NotificationService: the delivery log and its feedback, dead-letter replays, the acknowledge links' key ring.</summary>
    public static ServiceDatabaseLogin Notifications { get; } = new(
        "surgicase_notifications", "notifications",
        ["delivery_log", "delivery_feedback", "delivery_log_probe", "dead_letter_replays", "data_protection_keys"], null,
        ["delivery-log", "dead-letter-replays", "data_protection_keys"]);

    /// <summary>
    /// SecretsService: the outbox of warming alerts, stale episodes, its key ring. Earlier versions already kept these in
    /// the schema <c>secrets</c> (a search path in the connection string), so nothing comes from <c>public</c>.
    /// </summary>
    public static ServiceDatabaseLogin Secrets { get; } = new("surgicase_secrets", "secrets", [], null, []);

    public static IReadOnlyList<ServiceDatabaseLogin> All { get; } = [Scheduler, Notifications, Secrets];

    /// <summary>An Npgsql connection string for this login: <paramref name="server"/>'s host and database, this role and schema.</summary>
    public string ConnectionString(string server, string? password) =>
        new Npgsql.NpgsqlConnectionStringBuilder(server) { Username = Role, Password = password, SearchPath = Schema }.ToString();
}
