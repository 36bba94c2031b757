using Microsoft.Extensions.Logging;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// In Production logs go to stdout as one JSON object per line (CloudWatch and any collector parse them);
/// OpenTelemetry still exports over OTLP when an endpoint is set. Logging:Console:FormatterName overrides.
/// </summary>
internal static class ContainerLogging
{
    public static void UseJsonConsoleInProduction(IHostApplicationBuilder builder)
    {
        if (!builder.Environment.IsProduction() || !string.IsNullOrEmpty(builder.Configuration["Logging:Console:FormatterName"]))
        {
            return;
        }

        builder.Logging.AddJsonConsole(options =>
        {
            options.IncludeScopes = true;
            options.UseUtcTimestamp = true;
            options.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
        });
    }
}
