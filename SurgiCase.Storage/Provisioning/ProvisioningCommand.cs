using Microsoft.Extensions.Configuration;
using Npgsql;

namespace SurgiCase.Storage.Provisioning;

/// <summary>
/// <c>--provision-database</c>: a one-shot run of <see cref="PostgresProvisioner"/> instead of the service, for a
/// deployment's setup task (the only task that holds the master login). Reads <c>ConnectionStrings:Master</c> (without a
/// password, Npgsql takes <c>PGPASSWORD</c>) and <c>DatabaseSetup:Passwords:&lt;role&gt;</c> for each service's role,
/// from the environment. Prints what it did, never a password; exits 0 when done, 1 naming what is missing or failed.
/// </summary>
public static class ProvisioningCommand
{
    public const string Argument = "--provision-database";

    /// <summary>Null when the arguments do not ask for it (the service starts as usual), else the exit code.</summary>
    public static async Task<int?> TryRunAsync(string[] args, TextWriter output)
    {
        if (!args.Contains(Argument, StringComparer.Ordinal))
        {
            return null;
        }

        var configuration = new ConfigurationBuilder().AddEnvironmentVariables().Build();
        var master = configuration.GetConnectionString("Master");
        if (string.IsNullOrWhiteSpace(master))
        {
            await output.WriteLineAsync("ConnectionStrings:Master is not set: nothing to provision.");
            return 1;
        }

        var logins = new List<(ServiceDatabaseLogin, string)>();
        foreach (var login in ServiceDatabaseLogin.All)
        {
            var password = configuration[$"DatabaseSetup:Passwords:{login.Role}"];
            if (string.IsNullOrEmpty(password))
            {
                await output.WriteLineAsync($"DatabaseSetup:Passwords:{login.Role} is not set.");
                return 1;
            }

            logins.Add((login, password));
        }

        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
            await PostgresProvisioner.ProvisionAsync(master, logins, timeout.Token);
        }
        catch (Exception e) when (e is NpgsqlException or OperationCanceledException)
        {
            // PostgreSQL's message names the object and the privilege; it never holds a password (those are literals
            // of ALTER ROLE, which an error does not echo).
            await output.WriteLineAsync($"Provisioning the database logins failed: {e.GetType().Name}: {e.Message}");
            return 1;
        }

        await output.WriteLineAsync(
            $"Database logins provisioned: {string.Join(", ", ServiceDatabaseLogin.All.Select(l => $"{l.Role} owns schema {l.Schema}"))}.");
        return 0;
    }
}
