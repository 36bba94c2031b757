using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SurgiCase.Storage;

namespace SurgiCase.SecretsService;

/// <summary>
/// The last-known-good values on disk, encrypted with Data Protection, so that an instance restarted during a Secrets
/// Manager outage still has values to serve stale (the seed's "first-time failures will still occur"). Loaded before
/// warming starts; rewritten in the background after each refresh.
/// </summary>
internal sealed class SecretsSnapshotStore(
    SecretCache cache,
    IDataProtectionProvider dataProtection,
    IOptions<SecretsOptions> options,
    IHostEnvironment environment,
    ILogger<SecretsSnapshotStore> logger) : BackgroundService
{
    private const string Purpose = "SurgiCase.SecretsService.Snapshot.v1";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly IDataProtector _protector = dataProtection.CreateProtector(Purpose);
    private readonly SemaphoreSlim _changed = new(0, 1);

    private string FilePath => Path.GetFullPath(options.Value.Snapshot.Path, environment.ContentRootPath);

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        // Restored before the warming service starts (hosted services start in registration order).
        Load();
        cache.Refreshed += OnRefreshed;
        return base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        cache.Refreshed -= OnRefreshed;
        await base.StopAsync(cancellationToken);
        Save();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await _changed.WaitAsync(stoppingToken);
                Save();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // shutting down; StopAsync writes the last state
        }
    }

    private void OnRefreshed()
    {
        // Coalesces bursts (a warming run) into one write.
        if (_changed.CurrentCount == 0)
        {
            try
            {
                _changed.Release();
            }
            catch (SemaphoreFullException)
            {
                // already signalled
            }
        }
    }

    private void Load()
    {
        var path = FilePath;
        if (!File.Exists(path))
        {
            return;
        }

        try
        {
            var entries = JsonSerializer.Deserialize<List<SnapshotEntry>>(_protector.Unprotect(File.ReadAllBytes(path)), Json) ?? [];
            foreach (var entry in entries)
            {
                cache.Restore(entry.Name, entry.Value, entry.VersionId, entry.FetchedAt);
            }

            SecretsLog.SnapshotRestored(logger, entries.Count);
        }
        catch (Exception e) when (e is IOException or JsonException or System.Security.Cryptography.CryptographicException or UnauthorizedAccessException)
        {
            SecretsLog.SnapshotUnreadable(logger, path, e);
        }
    }

    private void Save()
    {
        var path = FilePath;
        try
        {
            var entries = cache.Slots
                .Select(s => s.Current)
                .OfType<CachedSecret>()
                .Select(c => new SnapshotEntry(c.Name, c.Value, c.VersionId, c.FetchedAt))
                .ToList();
            var bytes = _protector.Protect(JsonSerializer.SerializeToUtf8Bytes(entries, Json));
            PrivateFiles.Directory(Path.GetDirectoryName(path)!);
            var temporary = path + ".tmp";
            // Created afresh each time, so its mode is this one (0600) whatever a leftover file had.
            File.Delete(temporary);
            using (var file = PrivateFiles.CreateNew(temporary))
            {
                file.Write(bytes);
            }

            File.Move(temporary, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
        {
            SecretsLog.SnapshotWriteFailed(logger, path, e);
        }
    }

    public override void Dispose()
    {
        _changed.Dispose();
        base.Dispose();
    }

    private sealed record SnapshotEntry(string Name, string? Value, string VersionId, DateTimeOffset FetchedAt)
    {
        public override string ToString() => $"{Name} (value redacted)";
    }
}
