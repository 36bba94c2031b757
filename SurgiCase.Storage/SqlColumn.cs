using System.Text.RegularExpressions;

namespace SurgiCase.Storage;

/// <summary>
/// A column added to a table after the table was first released (<see cref="SqlMigration.AddColumn"/>). The definition
/// must hold for rows already there, so it is nullable or has a DEFAULT.
/// </summary>
/// <param name="Table">The table, as its <c>CREATE TABLE</c> names it.</param>
/// <param name="Column">The added column.</param>
/// <param name="Definition">Its type and constraints in the given dialect, e.g. <c>TEXT NULL</c>.</param>
public sealed partial record SqlColumn(string Table, string Column, Func<SqlDialect, string> Definition)
{
    // The names are spliced into ALTER TABLE; plain lower-case identifiers need no quoting in either engine.
    public string Table { get; } = Identifier(Table, nameof(Table));

    public string Column { get; } = Identifier(Column, nameof(Column));

    /// <summary>The <c>ADD COLUMN</c> statement (SQLite has no <c>IF NOT EXISTS</c> for it: the migrator looks first).</summary>
    public string AddStatement(SqlDialect dialect) => $"ALTER TABLE {Table} ADD COLUMN {Column} {Definition(dialect)}";

    private static string Identifier(string name, string parameter) =>
        name is not null && PlainIdentifier().IsMatch(name)
            ? name
            : throw new ArgumentException($"'{name}' is not a plain lower-case SQL identifier.", parameter);

    [GeneratedRegex("^[a-z_][a-z0-9_]*$")]
    private static partial Regex PlainIdentifier();
}
