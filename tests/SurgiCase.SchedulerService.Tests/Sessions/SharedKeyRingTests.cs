using System.Security.Cryptography;
using Dapper;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using SurgiCase.Storage;
using SurgiCase.Testing;

namespace SurgiCase.SchedulerService.Tests.Sessions;

/// <summary>
/// The Data Protection key ring kept in the service's database (SQLite and PostgreSQL) or a configured folder: two
/// hosts on the same store read each other's protected data, and what is stored holds no key in clear.
/// </summary>
public sealed class SharedKeyRingTests : IAsyncLifetime
{
    private const string KeyEncryptionKey = "kek-0123456789-0123456789-0123456789";
    private readonly PostgresTestDatabase _postgres = new();
    private readonly TempDirectory _folder = new();

    public Task InitializeAsync() => _postgres.InitializeAsync();

    public async Task DisposeAsync()
    {
        await _postgres.DisposeAsync();
        _folder.Dispose();
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Two_hosts_on_one_database_read_each_others_data_and_the_stored_keys_are_encrypted(string engine)
    {
        await using var first = Host(engine, KeyEncryptionKey);
        await using var second = Host(engine, KeyEncryptionKey);

        var protectedText = first.GetDataProtector("test").Protect("hello");

        Assert.Equal("hello", second.GetDataProtector("test").Unprotect(protectedText));
        await using var connection = await first.GetRequiredService<SqlDatabase>().OpenAsync(CancellationToken.None);
        var rows = (await connection.QueryAsync<string>("SELECT xml FROM data_protection_keys")).ToList();
        var row = Assert.Single(rows);
        Assert.Contains("aesGcmEncryptedKey", row, StringComparison.Ordinal);
        Assert.DoesNotContain("masterKey", row, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_host_with_another_key_encryption_key_cannot_read_the_ring()
    {
        await using var first = Host("sqlite", KeyEncryptionKey);
        await using var other = Host("sqlite", "another-kek-0123456789-0123456789-01");

        var protectedText = first.GetDataProtector("test").Protect("hello");

        Assert.ThrowsAny<CryptographicException>(() => other.GetDataProtector("test").Unprotect(protectedText));
    }

    [Fact]
    public async Task A_configured_folder_is_created_0700_and_holds_no_key_in_clear()
    {
        var folder = Path.Combine(_folder.Path, "keys");
        await using var first = Host("sqlite", KeyEncryptionKey, folder);
        await using var second = Host("sqlite", KeyEncryptionKey, folder);

        var protectedText = first.GetDataProtector("test").Protect("hello");

        Assert.Equal("hello", second.GetDataProtector("test").Unprotect(protectedText));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(folder));
        }

        var file = Assert.Single(Directory.GetFiles(folder));
        Assert.DoesNotContain("masterKey", await File.ReadAllTextAsync(file), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_short_key_encryption_key_is_refused_naming_the_key()
    {
        await using var host = Host("sqlite", "too-short");

        var error = Assert.ThrowsAny<Exception>(() => host.GetDataProtector("test").Protect("hello"));

        Assert.Contains("DataProtection:KeyEncryptionKey must be at least 32 characters", error.ToString(), StringComparison.Ordinal);
    }

    private ServiceProvider Host(string engine, string keyEncryptionKey, string? keysDirectory = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["DataProtection:KeyEncryptionKey"] = keyEncryptionKey,
            ["DataProtection:KeysDirectory"] = keysDirectory,
        };
        if (engine == "postgres")
        {
            settings["ConnectionStrings:Scheduler"] = _postgres.Scheduler;
        }

        var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddSqlDatabase("Scheduler", "scheduler.db", _ => _folder.Path);
        services.AddSharedKeyRing("SurgiCase.Tests.KeyRing");
        return services.BuildServiceProvider();
    }
}
