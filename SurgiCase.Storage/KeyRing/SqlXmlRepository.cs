using System.Xml.Linq;
using Dapper;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace SurgiCase.Storage.KeyRing;

/// <summary>The Data Protection key ring as rows of the service's database, so every replica on it shares one ring.</summary>
internal sealed class SqlXmlRepository(SqlDatabase database) : IXmlRepository
{
    public static SqlSchema Table { get; } = new("data_protection_keys", SqlMigration.Run(1, "data_protection_keys", _ => """
        CREATE TABLE IF NOT EXISTS data_protection_keys (
            name       TEXT PRIMARY KEY,
            xml        TEXT NOT NULL,
            created_at TEXT NOT NULL
        );
        """));

    // Data Protection's repository contract is synchronous; it is called when the ring is first loaded, when a key is
    // created (every 90 days) and at most once a day on refresh, never per request. Task.Run keeps a caller's
    // synchronization context out of the wait.
    public IReadOnlyCollection<XElement> GetAllElements() => Task.Run(ReadAsync).GetAwaiter().GetResult();

    public void StoreElement(XElement element, string friendlyName) =>
        Task.Run(() => WriteAsync(element, friendlyName)).GetAwaiter().GetResult();

    private async Task<IReadOnlyCollection<XElement>> ReadAsync()
    {
        await using var connection = await database.OpenAsync(CancellationToken.None);
        var rows = await connection.QueryAsync<string>("SELECT xml FROM data_protection_keys ORDER BY created_at, name");
        return rows.Select(XElement.Parse).ToList();
    }

    private async Task WriteAsync(XElement element, string friendlyName)
    {
        await using var connection = await database.OpenAsync(CancellationToken.None);
        await connection.ExecuteAsync(
            "INSERT INTO data_protection_keys (name, xml, created_at) VALUES (@Name, @Xml, @CreatedAt) ON CONFLICT (name) DO UPDATE SET xml = excluded.xml",
            new { Name = friendlyName, Xml = element.ToString(SaveOptions.DisableFormatting), CreatedAt = SqlTime.Format(DateTimeOffset.UtcNow) });
    }
}
