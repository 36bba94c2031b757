using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// A configuration error that stops start-up prints one line and exits with <see cref="ExitCode"/> instead of a
/// stack trace and an abort: a container's log then shows what to fix, and the orchestrator sees a plain failure.
/// </summary>
internal static class StartupFailure
{
    /// <summary>EX_CONFIG from sysexits.h.</summary>
    public const int ExitCode = 78;

    private static int s_registered;

    public static void ExitCleanlyOnConfigurationErrors()
    {
        if (Interlocked.Exchange(ref s_registered, 1) == 1)
        {
            return;
        }

        AppDomain.CurrentDomain.UnhandledException += (_, e) =>
        {
            var message = ConfigurationError(e.ExceptionObject as Exception);
            if (message is null)
            {
                return;
            }

            Console.Error.WriteLine(message.ReplaceLineEndings(" "));
            Environment.Exit(ExitCode);
        };
    }

    /// <summary>The configuration error in an exception or the exceptions it wraps (DI and the host wrap some).</summary>
    private static string? ConfigurationError(Exception? exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            switch (current)
            {
                case MissingConfigurationException missing:
                    return missing.Message;
                case OptionsValidationException invalid:
                    return "invalid configuration: " + invalid.Message;
                case AggregateException { InnerExceptions.Count: 1 } aggregate:
                    return ConfigurationError(aggregate.InnerExceptions[0]);
            }
        }

        return null;
    }
}
