using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Outside Development a service must be told where its state lives and what it talks to: the values in its
/// appsettings.json are local defaults (a SQLite file in the container's throwaway file system, Aspire service
/// names), so they do not count. A missing setting stops start-up with one line naming it.
/// </summary>
public static class ProductionConfiguration
{
    /// <summary>The shipped defaults; a value only found there is not an explicit setting.</summary>
    public const string DefaultsFile = "appsettings.json";

    /// <summary>
    /// Checks <paramref name="required"/> when the host starts, as the first of the caller's hosted services is
    /// created: the configuration is complete only then (tests and hosts may add sources after the builder ran),
    /// and nothing of the caller's has touched its storage yet (a SQLite folder in a read-only image would fail
    /// with a stack trace instead of this message).
    /// </summary>
    public static TBuilder RequireProductionSettings<TBuilder>(this TBuilder builder, IReadOnlyList<RequiredSetting> required)
        where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddHostedService(sp =>
        {
            Check(sp.GetRequiredService<IHostEnvironment>(), sp.GetRequiredService<IConfiguration>(), required);
            return new Checked();
        });
        return builder;
    }

    /// <summary>Throws <see cref="MissingConfigurationException"/> outside Development when a setting is missing.</summary>
    public static void Check(IHostEnvironment environment, IConfiguration configuration, IReadOnlyList<RequiredSetting> required)
    {
        if (environment.IsDevelopment())
        {
            return;
        }

        var missing = FindMissing(configuration, required);
        if (missing.Count > 0)
        {
            throw new MissingConfigurationException(environment.ApplicationName, environment.EnvironmentName, missing);
        }
    }

    /// <summary>The settings none of whose keys has a non-empty value from a source other than appsettings.json.</summary>
    public static IReadOnlyList<RequiredSetting> FindMissing(IConfiguration configuration, IEnumerable<RequiredSetting> required) =>
        required.Where(setting => !setting.Keys.Any(key => IsExplicit(configuration, key))).ToList();

    private static bool IsExplicit(IConfiguration configuration, string key)
    {
        if (configuration is not IConfigurationRoot root)
        {
            return !string.IsNullOrWhiteSpace(configuration[key]);
        }

        // The last provider holding the key wins, as in IConfiguration's own lookup.
        foreach (var provider in root.Providers.Reverse())
        {
            if (provider.TryGet(key, out var value))
            {
                return !string.IsNullOrWhiteSpace(value) && !IsShippedDefaults(provider);
            }
        }

        return false;
    }

    private static bool IsShippedDefaults(IConfigurationProvider provider) =>
        provider is JsonConfigurationProvider { Source.Path: DefaultsFile };
}

/// <summary>Start-up stopped because required settings are missing; the message is one line naming them.</summary>
public sealed class MissingConfigurationException(string application, string environment, IReadOnlyList<RequiredSetting> missing)
    : Exception($"{application} cannot start in {environment}: missing configuration {string.Join("; ", missing.Select(m => m.Describe()))}.")
{
    public IReadOnlyList<RequiredSetting> Missing { get; } = missing;
}

/// <summary>Nothing to do: being created was the check.</summary>
file sealed class Checked : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
