using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace SurgiCase.Images.Tests;

/// <summary>The production guard's rules, in process: what counts as an explicit setting, and where it applies.</summary>
public sealed class ProductionConfigurationTests : IDisposable
{
    private static readonly RequiredSetting Storage = new(["ConnectionStrings:Scheduler", "Scheduler:DataDirectory"], "storage");
    private static readonly RequiredSetting Region = new("Aws:Region", "region");
    private readonly DirectoryInfo _contentRoot = Directory.CreateTempSubdirectory("surgicase-guard-");

    public ProductionConfigurationTests()
    {
        File.WriteAllText(Path.Combine(_contentRoot.FullName, "appsettings.json"),
            """{ "Scheduler": { "DataDirectory": "./.data" }, "Aws": { "Region": "us-east-1" } }""");
    }

    [Fact]
    public void A_value_only_in_appsettings_json_is_not_explicit()
    {
        var missing = ProductionConfiguration.FindMissing(Configuration(), [Storage, Region]);

        Assert.Equal([Storage, Region], missing);
    }

    [Fact]
    public void Any_one_key_of_a_setting_set_elsewhere_satisfies_it()
    {
        var configuration = Configuration(("Scheduler:DataDirectory", "/data"), ("Aws:Region", "eu-west-1"));

        Assert.Empty(ProductionConfiguration.FindMissing(configuration, [Storage, Region]));
    }

    [Fact]
    public void An_empty_override_counts_as_missing()
    {
        var configuration = Configuration(("ConnectionStrings:Scheduler", ""), ("Aws:Region", " "));

        Assert.Equal([Storage, Region], ProductionConfiguration.FindMissing(configuration, [Storage, Region]));
    }

    [Fact]
    public async Task Production_start_up_names_the_missing_variables_in_one_line()
    {
        var builder = Builder(Environments.Production);
        builder.RequireProductionSettings([Storage, Region]);
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<MissingConfigurationException>(() => host.StartAsync());

        Assert.Equal(
            "guard cannot start in Production: missing configuration ConnectionStrings__Scheduler or Scheduler__DataDirectory (storage); Aws__Region (region).",
            error.Message);
    }

    [Fact]
    public async Task Settings_added_after_the_builder_ran_count()
    {
        var builder = Builder(Environments.Production);
        builder.RequireProductionSettings([Storage, Region]);
        builder.Configuration.AddInMemoryCollection([new("Scheduler:DataDirectory", "/data"), new("Aws:Region", "eu-west-1")]);
        using var host = builder.Build();

        Assert.Null(await Record.ExceptionAsync(() => host.StartAsync()));
        await host.StopAsync();
    }

    [Fact]
    public async Task Development_uses_the_local_defaults()
    {
        var builder = Builder(Environments.Development);
        builder.RequireProductionSettings([Storage, Region]);
        using var host = builder.Build();

        Assert.Null(await Record.ExceptionAsync(() => host.StartAsync()));
        await host.StopAsync();
    }

    [Theory]
    [InlineData("00:00:30")]
    [InlineData("00:00:00.500")]
    public async Task A_drain_timeout_ecs_would_cut_short_stops_start_up_naming_the_key(string value)
    {
        var builder = Builder(Environments.Development);
        builder.AddServiceDefaults();
        builder.Configuration.AddInMemoryCollection([new("Shutdown:DrainTimeout", value)]);

        // The host's own options read it while the host is built, before any start-up validation.
        var error = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(async () =>
        {
            using var host = builder.Build();
            await host.StartAsync();
        });

        Assert.Contains("Shutdown:DrainTimeout must be between 1 and 29 seconds", error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _contentRoot.Delete(recursive: true);

    private IConfigurationRoot Configuration(params (string Key, string Value)[] overrides) => new ConfigurationBuilder()
        .SetBasePath(_contentRoot.FullName)
        .AddJsonFile("appsettings.json")
        .AddInMemoryCollection(overrides.Select(o => new KeyValuePair<string, string?>(o.Key, o.Value)))
        .Build();

    private HostApplicationBuilder Builder(string environment)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings
        {
            EnvironmentName = environment,
            ApplicationName = "guard",
            ContentRootPath = _contentRoot.FullName,
        });
        builder.Configuration.SetBasePath(_contentRoot.FullName).AddJsonFile("appsettings.json");
        return builder;
    }
}
