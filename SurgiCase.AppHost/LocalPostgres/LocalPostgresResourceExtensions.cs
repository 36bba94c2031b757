using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace SurgiCase.AppHost.LocalPostgres;

/// <summary>
/// A local PostgreSQL server as an executable resource (no containers here), for cluster mode:
/// two scheduler replicas share its Quartz store and run history, so a cluster job fires once.
/// </summary>
internal static class LocalPostgresResourceExtensions
{
    public const int DefaultPort = 5432;

    public static IResourceBuilder<ExecutableResource> AddLocalPostgres(this IDistributedApplicationBuilder builder, string name)
    {
        var dataDirectory = Path.Combine(builder.AppHostDirectory, ".data", name);
        var script = Path.Combine(builder.AppHostDirectory, "LocalPostgres", "run-postgres.sh");
        var postgres = builder.AddExecutable(name, "bash", builder.AppHostDirectory)
            .WithEndpoint(port: DefaultPort, name: "tcp", scheme: "tcp");
        var endpoint = postgres.GetEndpoint("tcp");
        var healthCheckName = $"{name}-ready";
        builder.Services.AddHealthChecks().AddAsyncCheck(healthCheckName, ct => IsReadyAsync(endpoint, ct));
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

    /// <summary>An Npgsql connection string to one database of the local server.</summary>
    public static ReferenceExpression ConnectionString(this IResourceBuilder<ExecutableResource> postgres)
    {
        var endpoint = postgres.GetEndpoint("tcp");
        return ReferenceExpression.Create(
            $"Host={endpoint.Property(EndpointProperty.Host)};Port={endpoint.Property(EndpointProperty.Port)};Username=postgres;Database=postgres");
    }
}
