namespace SurgiCase.Storage;

/// <summary>
/// One numbered step in the history of an <see cref="SqlSchema"/>: a script, or a column added to a table that already
/// shipped. Applied once per database, in version order, and recorded in <c>schema_history</c>.
/// </summary>
public sealed class SqlMigration
{
    private SqlMigration(int version, string description, Func<SqlDialect, string>? script, SqlColumn? column)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(version);
        ArgumentException.ThrowIfNullOrWhiteSpace(description);
        Version = version;
        Description = description;
        Script = script;
        Column = column;
    }

    public int Version { get; }

    /// <summary>What the step does, kept in the history for whoever reads the database.</summary>
    public string Description { get; }

    internal Func<SqlDialect, string>? Script { get; }

    internal SqlColumn? Column { get; }

    /// <summary>
    /// Statements in the given dialect. A step a database without history may already have (anything that shipped
    /// before the history existed) must be idempotent: <c>CREATE ... IF NOT EXISTS</c>.
    /// </summary>
    public static SqlMigration Run(int version, string description, Func<SqlDialect, string> script) =>
        new(version, description, script ?? throw new ArgumentNullException(nameof(script)), null);

    /// <summary>
    /// Adds <paramref name="column"/> to its table, unless the table has it already (a database an earlier version made,
    /// with no history, may have any of its columns).
    /// </summary>
    public static SqlMigration AddColumn(int version, SqlColumn column) =>
        new(version, $"add {column?.Table}.{column?.Column}", null, column ?? throw new ArgumentNullException(nameof(column)));

    public override string ToString() => $"{Version} {Description}";
}
