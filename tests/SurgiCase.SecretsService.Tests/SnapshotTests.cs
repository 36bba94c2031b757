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
