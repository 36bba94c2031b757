using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using SurgiCase.Testing;

namespace SurgiCase.SecretsService.Tests;

/// <summary>The seed's "first-time failures will still occur" after a restart during an outage, closed by the snapshot.</summary>
[Collection(MotoCollection.Name)]
public sealed class SnapshotTests(MotoServer moto) : IDisposable
{
    private const string Marker = "snapshot-plain-value-4d2c";
    private const string KeyEncryptionKey = "snapshot-test-kek-0123456789abcdef0123";
    private readonly string _folder = Directory.CreateTempSubdirectory("secrets-snapshot-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Restart_during_an_outage_still_serves_the_last_values_and_the_file_is_encrypted()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Secrets:Snapshot:Enabled"] = "true",
            ["Secrets:Snapshot:Path"] = Path.Combine(_folder, "snapshot.bin"),
            ["Secrets:Snapshot:KeysPath"] = Path.Combine(_folder, "keys"),
            ["DataProtection:KeyEncryptionKey"] = KeyEncryptionKey,
        };
        string prefix;
        await using (var before = new SecretsServiceApp(moto, settings: settings))
        {
            prefix = before.Prefix;
            await moto.CreateSecretAsync(before.Name("main"), $$"""{"v":"{{Marker}}"}""");
            using var client = before.CreateClient(SecretsServiceApp.SchedulerKey);
            (await client.GetAsync($"/secrets/{before.Name("main")}")).EnsureSuccessStatusCode();
        }

        var onDisk = await File.ReadAllBytesAsync(Path.Combine(_folder, "snapshot.bin"));
        await using var after = new SecretsServiceApp(moto, prefix, settings: settings);
        after.Faults.All = AwsFault.InternalServiceError;
        using var restartedClient = after.CreateClient(SecretsServiceApp.SchedulerKey);
        after.Time.Advance(TimeSpan.FromMinutes(10));

        var answer = await restartedClient.GetFromJsonAsync<JsonElement>($"/secrets/{after.Name("main")}");

        Assert.DoesNotContain(Marker, Encoding.UTF8.GetString(onDisk));
        Assert.DoesNotContain(prefix, Encoding.UTF8.GetString(onDisk));
        Assert.Equal("stale", answer.GetProperty("source").GetString());
        Assert.Equal($$"""{"v":"{{Marker}}"}""", answer.GetProperty("value").GetString());
        Assert.Equal(600, answer.GetProperty("ageSeconds").GetInt64());
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task The_key_ring_is_in_the_database_encrypted_and_the_snapshot_is_readable_by_its_user_only()
    {
        var data = Path.Combine(_folder, "data");
        var snapshotFolder = Path.Combine(_folder, "private");
        var settings = new Dictionary<string, string?>
        {
            ["Secrets:Snapshot:Enabled"] = "true",
            ["Secrets:Snapshot:Path"] = Path.Combine(snapshotFolder, "snapshot.bin"),
            ["DataProtection:KeyEncryptionKey"] = KeyEncryptionKey,
        };
        string prefix;
        await using (var before = new SecretsServiceApp(moto, settings: settings, dataDirectory: data))
        {
            prefix = before.Prefix;
            await moto.CreateSecretAsync(before.Name("main"), $$"""{"v":"{{Marker}}"}""");
            using var client = before.CreateClient(SecretsServiceApp.SchedulerKey);
            (await client.GetAsync($"/secrets/{before.Name("main")}")).EnsureSuccessStatusCode();
        }

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(snapshotFolder));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(snapshotFolder, "snapshot.bin")));
        await using (var database = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(data, "secrets.db")}"))
        {
            await database.OpenAsync();
            await using var query = new Microsoft.Data.Sqlite.SqliteCommand("SELECT xml FROM data_protection_keys", database);
            var ring = (string?)await query.ExecuteScalarAsync();
            Assert.Contains("aesGcmEncryptedKey", ring, StringComparison.Ordinal);
            Assert.DoesNotContain("masterKey", ring, StringComparison.Ordinal);
        }

        // A replacement instance (same database, no key folder of its own) reads the snapshot during an outage.
        await using var after = new SecretsServiceApp(moto, prefix, settings: settings, dataDirectory: data);
        after.Faults.All = AwsFault.InternalServiceError;
        using var restartedClient = after.CreateClient(SecretsServiceApp.SchedulerKey);
        var answer = await restartedClient.GetFromJsonAsync<JsonElement>($"/secrets/{after.Name("main")}");
        Assert.Equal("stale", answer.GetProperty("source").GetString());
        Assert.Equal($$"""{"v":"{{Marker}}"}""", answer.GetProperty("value").GetString());
    }

    [Fact]
    public async Task Without_the_snapshot_a_restart_during_an_outage_gets_503()
    {
        await using var before = new SecretsServiceApp(moto);
        await moto.CreateSecretAsync(before.Name("main"), $$"""{"v":"{{Marker}}"}""");
        (await before.CreateClient(SecretsServiceApp.SchedulerKey).GetAsync($"/secrets/{before.Name("main")}")).EnsureSuccessStatusCode();
        await before.DisposeAsync();

        await using var after = new SecretsServiceApp(moto, before.Prefix);
        after.Faults.All = AwsFault.InternalServiceError;
        using var response = await after.CreateClient(SecretsServiceApp.SchedulerKey).GetAsync($"/secrets/{after.Name("main")}");

        Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, response.StatusCode);
    }
}
