namespace SurgiCase.Storage;

/// <summary>
/// The few things the SQL of a SurgiCase table says differently in SQLite and PostgreSQL. Everything else (the
/// queries, the column names, the text form of instants) is written once and runs on both.
/// </summary>
public sealed class SqlDialect
{
    public static SqlDialect Sqlite { get; } = new(
        "SQLite", "INTEGER", "INTEGER PRIMARY KEY AUTOINCREMENT", "rowid", "", "REAL", "((julianday('now') - 2440587.5) * 86400.0)");

    public static SqlDialect Postgres { get; } = new(
        "PostgreSQL", "BIGINT", "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY", "seq", ", seq BIGSERIAL", "DOUBLE PRECISION",
        "(EXTRACT(EPOCH FROM clock_timestamp())::double precision)");

    private SqlDialect(string name, string integer, string identityKey, string insertionOrder, string sequenceColumn, string real, string nowSeconds)
    {
        Name = name;
        Integer = integer;
        IdentityKey = identityKey;
        InsertionOrder = insertionOrder;
        SequenceColumn = sequenceColumn;
        Real = real;
        NowSeconds = nowSeconds;
    }

    public string Name { get; }

    /// <summary>A 64-bit integer column type.</summary>
    public string Integer { get; }

    /// <summary>A 64-bit primary key the engine numbers itself, in insertion order.</summary>
    public string IdentityKey { get; }

    /// <summary>A column giving insertion order, to break ties between rows written in the same instant.</summary>
    public string InsertionOrder { get; }

    /// <summary>
    /// What a table appends to its last column (leading comma included) so that <see cref="InsertionOrder"/> exists;
    /// empty where the engine keeps that order itself (SQLite's rowid).
    /// </summary>
    public string SequenceColumn { get; }

    /// <summary>A double-precision column type.</summary>
    public string Real { get; }

    /// <summary>
    /// The database server's clock, as seconds since the Unix epoch (a double). Leases that several hosts compare are
    /// set and checked with it, so a host whose own clock is off can neither take a live lease nor keep a dead one.
    /// PostgreSQL's <c>clock_timestamp()</c> rather than <c>now()</c>: the latter is frozen at the transaction's start.
    /// </summary>
    public string NowSeconds { get; }

    public override string ToString() => Name;
}
