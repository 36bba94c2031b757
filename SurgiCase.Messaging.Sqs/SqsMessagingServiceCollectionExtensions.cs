using Amazon.SQS;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using SurgiCase.Aws;
using SurgiCase.Messaging;
using SurgiCase.Messaging.Sqs;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// The SQS transport of job events. Services depend on <see cref="IJobEventPublisher"/> and <see cref="IJobEventHandler"/>
/// only, so another transport replaces these registrations and nothing else.
/// </summary>
public static class SqsMessagingServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IJobEventPublisher"/> (SQS) with options from <c>Messaging</c> and the SQS client
    /// from <c>Aws</c>.
    /// </summary>
    public static IServiceCollection AddSqsJobEventPublisher(this IServiceCollection services)
    {
        services.AddMessagingCore();
        services.TryAddSingleton<IJobEventPublisher, SqsJobEventPublisher>();
        return services;
    }

    /// <summary>
    /// Registers the background consumer of the job-events queue; each message is handled by a
    /// <typeparamref name="THandler"/> resolved in its own DI scope. Receives wait while the <see cref="IReceiveGate"/> is
    /// closed; the default gate is always open, and a service registers its own (before or after this call) to replace it.
    /// </summary>
    public static IServiceCollection AddSqsJobEventConsumer<THandler>(this IServiceCollection services)
        where THandler : class, IJobEventHandler
    {
        services.AddMessagingCore();
        services.TryAddScoped<IJobEventHandler, THandler>();
        services.TryAddSingleton<JobEventMessageProcessor>();
        services.TryAddSingleton<IReceiveGate, AlwaysOpenReceiveGate>();
        services.AddHostedService<SqsJobEventConsumer>();
        return services;
    }

    /// <summary>
    /// Adds the "dead-letter-queue" check: Degraded while the DLQ named in <c>Messaging</c> holds messages,
    /// with the count in the description; the answer is cached (<see cref="MessagingOptions.DeadLetterHealthCacheSeconds"/>).
    /// </summary>
    public static IHealthChecksBuilder AddSqsDeadLetterQueueCheck(this IHealthChecksBuilder builder, string name = "dead-letter-queue")
    {
        builder.Services.AddMessagingCore();
        builder.Services.TryAddSingleton<DeadLetterQueueHealthCheck>();
        return builder.AddCheck<DeadLetterQueueHealthCheck>(name, HealthStatus.Degraded);
    }

    /// <summary>
    /// Registers <see cref="IAmazonSQS"/> built from the <c>Aws</c> section (ServiceUrl for a local AWS,
    /// else Region; keys if both set, else the SDK's default credential chain).
    /// </summary>
    public static IServiceCollection AddSqsClient(this IServiceCollection services)
    {
        // Repeat-safe: the publisher, the consumer and the DLQ check each call this, and AwsOptions must be bound once.
        services.AddAwsOptions();
        services.TryAddSingleton<IAmazonSQS>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<AwsOptions>>().Value;
            return AwsHttpHandlers.Create(sp, AwsServiceNames.Sqs).Count == 0
                ? SqsClientFactory.Create(options)
                : SqsClientFactory.Create(options, () => AwsHttpHandlers.Create(sp, AwsServiceNames.Sqs));
        });
        return services;
    }

    private static void AddMessagingCore(this IServiceCollection services)
    {
        services.AddOptions<MessagingOptions>().BindConfiguration(MessagingOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<MessagingOptions>, MessagingOptionsValidator>());
        services.AddSqsClient();
        services.AddMetrics();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<QueueUrlCache>();
        services.TryAddSingleton<MessagingMetrics>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<OpenTelemetry.Instrumentation.Http.HttpClientTraceInstrumentationOptions>, SqsTraceFilter>());
    }
}
