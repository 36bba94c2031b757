using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.Hosting;

/// <summary>How long a stopping service may drain (Kestrel, the SQS consumer, Quartz, the outbox) before it exits.</summary>
public sealed class ShutdownOptions : IValidatableObject
{
    public const string SectionName = "Shutdown";

    private static readonly TimeSpan Shortest = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Longest = TimeSpan.FromSeconds(29);

    /// <summary>
    /// Shorter than ECS's 30 s stop timeout (SIGTERM, then SIGKILL), so a drain that runs long still ends with a
    /// clean exit and the last log lines written, instead of a kill.
    /// </summary>
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(20);

    // Not a [Range]: the generated validator drops a custom message, and this one says why the bound is 29 s.
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (DrainTimeout < Shortest || DrainTimeout > Longest)
        {
            yield return new ValidationResult(
                $"{SectionName}:{nameof(DrainTimeout)} must be between 1 and 29 seconds (ECS kills a task 30 s after SIGTERM).", [nameof(DrainTimeout)]);
        }
    }
}

/// <summary>Checks <see cref="ShutdownOptions"/> by generated code, under the section's name.</summary>
[OptionsValidator]
internal sealed partial class ShutdownOptionsValidator : IValidateOptions<ShutdownOptions>
{
    ValidateOptionsResult IValidateOptions<ShutdownOptions>.Validate(string? name, ShutdownOptions options) => Validate(ShutdownOptions.SectionName, options);
}

internal static partial class GracefulShutdown
{
    public static void AddGracefulShutdown(IServiceCollection services)
    {
        services.AddOptions<ShutdownOptions>().BindConfiguration(ShutdownOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ShutdownOptions>, ShutdownOptionsValidator>());
        services.AddOptions<HostOptions>()
            .Configure<IOptions<ShutdownOptions>>((host, shutdown) => host.ShutdownTimeout = shutdown.Value.DrainTimeout);
        services.AddHostedService<ShutdownReporter>();
    }

    /// <summary>Says when draining starts and how long it took, so a slow stop shows in the logs.</summary>
    private sealed partial class ShutdownReporter(
        IHostApplicationLifetime lifetime, IOptions<ShutdownOptions> options, TimeProvider time, ILogger<ShutdownReporter> logger)
        : IHostedService
    {
        private long _stoppingAt;

        public Task StartAsync(CancellationToken cancellationToken)
        {
            lifetime.ApplicationStopping.Register(() =>
            {
                _stoppingAt = time.GetTimestamp();
                LogDraining(logger, options.Value.DrainTimeout.TotalSeconds);
            });
            lifetime.ApplicationStopped.Register(() => LogStopped(logger, (long)time.GetElapsedTime(_stoppingAt).TotalMilliseconds));
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        [LoggerMessage(1, LogLevel.Information, "Stopping: draining for at most {DrainSeconds} s")]
        private static partial void LogDraining(ILogger logger, double drainSeconds);

        [LoggerMessage(2, LogLevel.Information, "Stopped after draining for {ElapsedMs} ms")]
        private static partial void LogStopped(ILogger logger, long elapsedMs);
    }
}
