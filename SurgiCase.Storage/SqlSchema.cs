namespace SurgiCase.Storage;

/// <summary>
/// The tables one part of a service keeps in the service's database, as its ordered <see cref="SqlMigration"/>s. Each
/// part registers its own (<c>AddSqlSchema</c>), so a shared piece such as the outbox brings its table into whichever
/// service uses it; the database's <c>schema_history</c> records, per part, which versions it has.
/// </summary>
public sealed class SqlSchema
{
    /// <param name="name">Names the part in the history and in errors, e.g. <c>outbox</c>.</param>
    /// <param name="migrations">The steps, versions ascending.</param>
    public SqlSchema(string name, params IReadOnlyList<SqlMigration> migrations)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(migrations);
        if (migrations.Count == 0)
        {
            throw new ArgumentException($"Schema '{name}' has no migrations.", nameof(migrations));
        }

        for (var i = 1; i < migrations.Count; i++)
        {
            if (migrations[i].Version <= migrations[i - 1].Version)
            {
                throw new ArgumentException(
                    $"Schema '{name}': migration {migrations[i]} must come after {migrations[i - 1]} (versions ascending, each once).", nameof(migrations));
            }
        }

        Name = name;
        Migrations = migrations;
    }

    public string Name { get; }

    public IReadOnlyList<SqlMigration> Migrations { get; }

    public int LatestVersion => Migrations[^1].Version;
}
