using System.Text.RegularExpressions;

namespace SurgiCase.Storage;

/// <summary>
/// A column added to a table after the table was first released. A database created by an earlier version keeps its
/// old table (<c>CREATE TABLE IF NOT EXISTS</c> leaves it alone), so the column is added at start when it is missing.
/// Upgrades are additive only: the definition must hold for rows already there, so it is nullable or has a DEFAULT.
/// </summary>
/// <param name="Table">The table, as its <c>CREATE TABLE</c> names it.</param>
/// <param name="Column">The added column.</param>
/// <param name="Definition">Its type and constraints in the given dialect, e.g. <c>TEXT NULL</c>.</param>
public sealed partial record SqlColumn(string Table, string Column, Func<SqlDialect, string> Definition)
{
    // The names are spliced into ALTER TABLE; plain lower-case identifiers need no quoting in either engine.
    public string Table { get; } = Identifier(Table, nameof(Table));

    public string Column { get; } = Identifier(Column, nameof(Column));

    /// <summary>The <c>ADD COLUMN</c> statement; <paramref name="ifNotExists"/> where the engine has that clause.</summary>
    public string AddStatement(SqlDialect dialect, bool ifNotExists) =>
        $"ALTER TABLE {Table} ADD COLUMN {(ifNotExists ? "IF NOT EXISTS " : "")}{Column} {Definition(dialect)}";

    private static string Identifier(string name, string parameter) =>
        name is not null && PlainIdentifier().IsMatch(name)
            ? name
            : throw new ArgumentException($"'{name}' is not a plain lower-case SQL identifier.", parameter);

    [GeneratedRegex("^[a-z_][a-z0-9_]*$")]
    private static partial Regex PlainIdentifier();
}
