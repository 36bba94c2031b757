using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using SurgiCase.Storage.Provisioning;

namespace SurgiCase.AppHost.LocalPostgres;

/// <summary>
/// A local PostgreSQL server as an executable resource (no containers here), for cluster mode:
/// two scheduler replicas share its Quartz store and run history, so a cluster job fires once. Each service logs in
/// as its own role (<see cref="ServiceDatabaseLogin"/>) with a password over TCP; the superuser is reachable only
/// through the Unix socket in the data folder, which the AppHost uses to create those logins before it reports the
/// server ready, so no service starts before its login exists.
/// </summary>
internal static class LocalPostgresResourceExtensions
{
    public const int DefaultPort = 5432;

    public static IResourceBuilder<ExecutableResource> AddLocalPostgres(
        this IDistributedApplicationBuilder builder, string name, IReadOnlyList<LocalDatabaseLogin> logins)
    {
        var dataDirectory = Path.Combine(builder.AppHostDirectory, ".data", name);
        var script = Path.Combine(builder.AppHostDirectory, "LocalPostgres", "run-postgres.sh");
        var postgres = builder.AddExecutable(name, "bash", builder.AppHostDirectory)
            .WithEndpoint(port: DefaultPort, name: "tcp", scheme: "tcp");
        var endpoint = postgres.GetEndpoint("tcp");
        var healthCheckName = $"{name}-ready";
        var provisioning = new LocalDatabaseProvisioning(dataDirectory, logins);
        builder.Services.AddHealthChecks().AddAsyncCheck(healthCheckName, async ct =>
        {
            var ready = await IsReadyAsync(endpoint, ct);
            return ready.Status == HealthStatus.Healthy ? await provisioning.EnsureAsync(ct) : ready;
        });
        return postgres
            .WithArgs(context =>
            {
                context.Args.Add(script);
                context.Args.Add(dataDirectory);
                context.Args.Add(endpoint.Property(EndpointProperty.TargetPort));
            })
            .WithHealthCheck(healthCheckName);
    }

    // pg_isready answers only when the server accepts queries, not merely TCP connections.
    private static async Task<HealthCheckResult> IsReadyAsync(EndpointReference endpoint, CancellationToken cancellationToken)
    {
        if (!endpoint.IsAllocated)
        {
            return HealthCheckResult.Unhealthy("The PostgreSQL endpoint is not allocated yet.");
        }

        try
        {
            using var process = Process.Start(new ProcessStartInfo("pg_isready", ["-h", endpoint.Host, "-p", endpoint.Port.ToString()])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            })!;
            await process.WaitForExitAsync(cancellationToken);
            return process.ExitCode == 0
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Unhealthy($"pg_isready exited with {process.ExitCode}.");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return HealthCheckResult.Unhealthy("pg_isready is not installed (PostgreSQL client tools).", e);
        }
    }

    /// <summary>An Npgsql connection string for one service's own login, its schema first on the search path.</summary>
    public static ReferenceExpression ConnectionString(this IResourceBuilder<ExecutableResource> postgres, LocalDatabaseLogin login)
    {
        var endpoint = postgres.GetEndpoint("tcp");
        return ReferenceExpression.Create(
            $"Host={endpoint.Property(EndpointProperty.Host)};Port={endpoint.Property(EndpointProperty.Port)};Database=postgres;Username={login.Login.Role};Password={login.Password};Search Path={login.Login.Schema}");
    }
}
