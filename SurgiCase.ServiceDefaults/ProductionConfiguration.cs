using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Json;

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

    public static TBuilder RequireProductionSettings<TBuilder>(this TBuilder builder, IEnumerable<RequiredSetting> required)
        where TBuilder : IHostApplicationBuilder
    {
        if (builder.Environment.IsDevelopment())
        {
            return builder;
        }

        var missing = FindMissing(builder.Configuration, required);
        if (missing.Count > 0)
        {
            throw new MissingConfigurationException(builder.Environment.ApplicationName, builder.Environment.EnvironmentName, missing);
        }

        return builder;
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
