using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// In Production logs go to stdout as one JSON object per line (CloudWatch and any collector parse them);
/// OpenTelemetry still exports over OTLP when an endpoint is set. Logging:Console:FormatterName overrides.
/// </summary>
public static class ContainerLogging
{
    internal static void UseJsonConsoleInProduction(IHostApplicationBuilder builder)
    {
        if (!builder.Environment.IsProduction() || !string.IsNullOrEmpty(builder.Configuration["Logging:Console:FormatterName"]))
        {
            return;
        }

        builder.Logging.AddJsonConsole(ConfigureJsonConsole);
    }

    /// <summary>The JSON console's settings in a container (scopes included); tests format their captured records with them.</summary>
    public static void ConfigureJsonConsole(JsonConsoleFormatterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.IncludeScopes = true;
        options.UseUtcTimestamp = true;
        options.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
    }
}
