using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;
using SurgiCase.Storage.Provisioning;

namespace SurgiCase.AppHost.LocalPostgres;

/// <summary>A service's login on the local server, its password a generated AppHost parameter (user secrets).</summary>
internal sealed record LocalDatabaseLogin(ServiceDatabaseLogin Login, IResourceBuilder<ParameterResource> Password);

/// <summary>
/// Runs <see cref="PostgresProvisioner"/> as the local superuser, through the server's Unix socket (trusted there, refused
/// over TCP), once per start of the server: the AppHost reports the server ready only after it, so the services that wait
/// for it find their logins made.
/// </summary>
internal sealed class LocalDatabaseProvisioning(string dataDirectory, IReadOnlyList<LocalDatabaseLogin> logins)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private int? _provisionedOnPort;

    private int? ListeningPort()
    {
        var newest = new DirectoryInfo(dataDirectory).EnumerateFiles(".s.PGSQL.*.lock").MaxBy(f => f.LastWriteTimeUtc);
        return newest is null ? null : int.Parse(newest.Name[".s.PGSQL.".Length..^".lock".Length], System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task<HealthCheckResult> EnsureAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            // The socket is named after the port the server listens on (the endpoint's target port, which the
            // orchestrator allocates and hands to the script): the live server's lock file beside it says which.
            if (ListeningPort() is not { } port)
            {
                return HealthCheckResult.Unhealthy("The PostgreSQL server has no socket in its data folder yet.");
            }

            if (_provisionedOnPort == port)
            {
                return HealthCheckResult.Healthy();
            }

            var master = new NpgsqlConnectionStringBuilder
            {
                Host = dataDirectory,
                Port = port,
                Username = "postgres",
                Database = "postgres",
                Pooling = false,
            }.ToString();
            var passwords = new List<(ServiceDatabaseLogin, string)>();
            foreach (var login in logins)
            {
                var password = await login.Password.Resource.GetValueAsync(cancellationToken)
                    ?? throw new InvalidOperationException($"The parameter {login.Password.Resource.Name} has no value.");
                passwords.Add((login.Login, password));
            }

            await PostgresProvisioner.ProvisionAsync(master, passwords, cancellationToken);
            _provisionedOnPort = port;
            return HealthCheckResult.Healthy();
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException or IOException)
        {
            return HealthCheckResult.Unhealthy("Creating the services' database logins failed.", e);
        }
        finally
        {
            _gate.Release();
        }
    }
}
