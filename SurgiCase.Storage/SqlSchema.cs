namespace SurgiCase.Storage;

/// <summary>
/// Tables one part of a service keeps in the service's database, as idempotent <c>CREATE ... IF NOT EXISTS</c>
/// statements. Each part registers its own (<c>AddSqlSchema</c>), so a shared piece such as the outbox brings its table
/// into whichever service uses it.
/// </summary>
/// <param name="Name">Names the part in errors, e.g. <c>outbox</c>.</param>
/// <param name="Create">The statements in the given dialect.</param>
public sealed record SqlSchema(string Name, Func<SqlDialect, string> Create)
{
    /// <summary>
    /// Columns added to one of the tables after it first shipped: <c>CREATE TABLE IF NOT EXISTS</c> leaves a table made by
    /// an older version as it was, so these are added after <see cref="Create"/> ran, each when missing.
    /// </summary>
    public IReadOnlyList<SqlColumn> AddedColumns { get; init; } = [];
}
