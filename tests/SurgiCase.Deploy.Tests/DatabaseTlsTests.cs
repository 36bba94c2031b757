using System.Diagnostics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Xml.Linq;
using Npgsql;
using SurgiCase.Testing;

namespace SurgiCase.Deploy.Tests;

/// <summary>
/// Issue 18.6: in AWS the services verify the database's certificate. The stack's connection strings say
/// <c>SSL Mode=VerifyFull;Root Certificate=/app/rds-ca-bundle.pem</c>; the images carry that bundle (the RDS CAs,
/// deploy/images/rds-ca-bundle.pem). Here the same settings meet a real PostgreSQL speaking TLS with a certificate
/// from a test CA: accepted when the bundle holds the CA, refused when it does not or when the host name differs.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class DatabaseTlsTests
{
    private static readonly string Bundle = RepositoryFolder.Path("deploy", "images", "rds-ca-bundle.pem");

    [Fact]
    public void The_bundle_holds_the_rds_roots_and_every_image_publishes_it_where_the_connection_string_points()
    {
        var certificates = new X509Certificate2Collection();
        certificates.ImportFromPemFile(Bundle);

        Assert.True(certificates.Count >= 100, $"{certificates.Count} certificates");
        // RDS's default CA for new instances (rds-ca-rsa2048-g1) and its siblings, per region.
        foreach (var region in new[] { "eu-west-1", "us-east-1" })
        {
            foreach (var kind in new[] { "RSA2048 G1", "RSA4096 G1", "ECC384 G1" })
            {
                Assert.Contains(certificates, c => c.GetNameInfo(X509NameType.SimpleName, forIssuer: false) == $"Amazon RDS {region} Root CA {kind}");
            }
        }

        // Published beside every service's app: /app in the image (the SDK's working directory, on either base).
        var targets = XDocument.Load(RepositoryFolder.Path("deploy", "images", "Containers.targets"));
        var published = Assert.Single(targets.Descendants("None"), n => ((string?)n.Attribute("Include"))?.EndsWith("rds-ca-bundle.pem", StringComparison.Ordinal) == true);
        Assert.Equal("PreserveNewest", (string?)published.Attribute("CopyToPublishDirectory"));
        Assert.Equal(SurgiCase.Deploy.Database.RdsCaBundlePath, "/app/" + (string?)published.Attribute("Link"));
    }

    [Fact]
    public async Task The_stacks_tls_settings_connect_only_to_a_server_whose_certificate_the_bundle_vouches_for()
    {
        var server = await PostgresServer.GetAsync();
        var folder = Directory.CreateTempSubdirectory("surgicase-pg-tls-");
        try
        {
            using var ca = CreateCa("SurgiCase test database CA");
            var serverFiles = WriteServerCertificate(folder.FullName, ca, "localhost");
            await using (var admin = await PostgresServer.OpenAsync(server.ConnectionString))
            {
                await ExecuteAsync(admin, $"ALTER SYSTEM SET ssl_cert_file = '{serverFiles.Certificate}'");
                await ExecuteAsync(admin, $"ALTER SYSTEM SET ssl_key_file = '{serverFiles.Key}'");
                await ExecuteAsync(admin, "ALTER SYSTEM SET ssl = on");
                await ExecuteAsync(admin, "SELECT pg_reload_conf()");
            }

            var trusted = Path.Combine(folder.FullName, "bundle-with-test-ca.pem");
            File.WriteAllText(trusted, File.ReadAllText(Bundle) + ca.ExportCertificatePem() + "\n");
            var port = new NpgsqlConnectionStringBuilder(server.ConnectionString).Port;
            string Settings(string host, string bundle) =>
                $"Host={host};Port={port};Username=postgres;Database=postgres;Pooling=false;"
                + SurgiCase.Deploy.Database.TlsSettings.Replace(SurgiCase.Deploy.Database.RdsCaBundlePath, bundle, StringComparison.Ordinal);

            await WaitForTlsAsync(server.ConnectionString);
            await using (var connection = await PostgresServer.OpenAsync(Settings("localhost", trusted)))
            {
                await using var command = new NpgsqlCommand("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()", connection);
                Assert.True((bool)(await command.ExecuteScalarAsync())!);
            }

            // The RDS bundle alone does not vouch for the test CA's server, and the name must match the certificate.
            await Assert.ThrowsAnyAsync<Exception>(() => PostgresServer.OpenAsync(Settings("localhost", Bundle)));
            await Assert.ThrowsAnyAsync<Exception>(() => PostgresServer.OpenAsync(Settings("127.0.0.1", trusted)));
        }
        finally
        {
            await using (var admin = await PostgresServer.OpenAsync(server.ConnectionString))
            {
                await ExecuteAsync(admin, "ALTER SYSTEM RESET ssl");
                await ExecuteAsync(admin, "ALTER SYSTEM RESET ssl_cert_file");
                await ExecuteAsync(admin, "ALTER SYSTEM RESET ssl_key_file");
                await ExecuteAsync(admin, "SELECT pg_reload_conf()");
            }

            folder.Delete(recursive: true);
        }
    }

    /// <summary>Waits, in a bounded number of fresh sessions, until the server has applied <c>ssl = on</c>.</summary>
    private static async Task WaitForTlsAsync(string adminConnectionString)
    {
        var fresh = new NpgsqlConnectionStringBuilder(adminConnectionString) { Pooling = false }.ConnectionString;
        for (var attempt = 0; attempt < 200; attempt++)
        {
            await using var connection = await PostgresServer.OpenAsync(fresh);
            await using var command = new NpgsqlCommand("SHOW ssl", connection);
            if ((string?)await command.ExecuteScalarAsync() == "on")
            {
                return;
            }
        }

        Assert.Fail("The server did not turn TLS on after pg_reload_conf().");
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static X509Certificate2 CreateCa(string name)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
    }

    /// <summary>A server certificate for <paramref name="host"/>, its files readable by the server (PostgreSQL insists on a private key file of its own).</summary>
    private static (string Certificate, string Key) WriteServerCertificate(string folder, X509Certificate2 ca, string host)
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("The test PostgreSQL runs on Linux (PostgresServer).");
        }

        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={host}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(host);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var certificate = request.Create(ca, ca.NotBefore, ca.NotAfter.AddMinutes(-1), [1, 2, 3, 4]);
        var certificatePath = Path.Combine(folder, "server.crt");
        var keyPath = Path.Combine(folder, "server.key");
        File.WriteAllText(certificatePath, certificate.ExportCertificatePem());
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
        File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        File.SetUnixFileMode(keyPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        if (Environment.UserName == "root")
        {
            // Under root the test server runs as postgres (PostgresServer).
            using var chown = Process.Start("chown", ["postgres", keyPath, certificatePath])!;
            chown.WaitForExit();
            Assert.Equal(0, chown.ExitCode);
        }

        return (certificatePath, keyPath);
    }
}
