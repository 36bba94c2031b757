using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using SurgiCase.Messaging;
using SurgiCase.NotificationService.Acknowledgement;
using SurgiCase.NotificationService.Delivery;
using SurgiCase.NotificationService.Recipients;
using SurgiCase.NotificationService.Storage;
using SurgiCase.NotificationService.Telemetry;

namespace SurgiCase.NotificationService;

/// <summary>All of the NotificationService's wiring, so Program.cs stays five lines.</summary>
internal static class NotificationServiceExtensions
{
    public static WebApplicationBuilder AddNotificationService(this WebApplicationBuilder builder)
    {
        builder.RequireProductionSettings(NotificationProductionSettings.Required);
        builder.AddApiDefaults();

        builder.Services.AddSecretsClient();
        builder.Services.AddNotificationDelivery();
        builder.Services.AddSqsJobEventConsumer<JobEventNotificationHandler>();
        builder.Services.AddHostedService<DigestService>();
        builder.Services.AddHostedService<ReminderService>();
        builder.Services.AddHealthChecks()
            .AddCheck<DeliveryHealth>("alert-delivery")
            .AddCheck<DeliveryLogHealth>("delivery-log")
            .AddSqsDeadLetterQueueCheck();
        return builder;
    }

    /// <summary>
    /// Everything between a received event and a sent alert, without the queue consumer or the HTTP API,
    /// so tests can drive the handler directly. Needs an <see cref="IRecipientSource"/> from the caller
    /// unless <c>AddSecretsClient</c> was called.
    /// </summary>
    public static IServiceCollection AddNotificationDelivery(this IServiceCollection services)
    {
        services.AddOptions<NotificationOptions>().BindConfiguration(NotificationOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<NotificationOptions>, NotificationOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<NotificationOptions>, ClaimLeaseBudget>());
        services.AddOptions<WebhookOptions>().BindConfiguration(WebhookOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<WebhookOptions>, WebhookOptionsValidator>());
        services.TryAddSingleton<WebhookUrlPolicy>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<WebhookOptions>, WebhookUrlValidator>());

        services.AddMetrics();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<NotificationTelemetry>();
        services.AddSingleton<DeliveryHealth>();
        services.AddSingleton<DeliveryLogHealth>();
        // SQLite under Notifications:DataDirectory, or PostgreSQL (ConnectionStrings:Notifications) for several replicas.
        // Its table is created before the consumer starts, so a wrong connection string stops start-up.
        services.AddSqlSchema(DeliveryLogSchema.Table);
        services.AddSqlDatabase(DeliveryLogSchema.ConnectionName, DeliveryLogSchema.SqliteFileName,
            sp => sp.GetRequiredService<IOptions<NotificationOptions>>().Value.DataDirectory);
        services.AddSingleton<IDeliveryLog, SqlDeliveryLog>();
        services.AddSingleton<DeliveryLogWriteProbe>();
        services.AddSingleton<IReceiveGate, DeliveryLogReceiveGate>();
        services.AddRetentionStep<DeliveryLogRetentionStep>();
        services.AddAcknowledgement();
        services.TryAddSingleton<IRecipientSource, SecretsRecipientSource>();
        services.AddSingleton<RecipientResolver>();
        services.AddSesEmailClient();
        services.AddSingleton<SesEmailChannel>();
        services.AddSingleton<AlertStormGuard>();
        services.AddSingleton<DigestSender>();
        services.AddWebhookClient();
        services.AddScoped<NotificationDispatcher>();
        services.AddScoped<ParallelChannelDispatcher>();
        services.AddScoped<JobEventNotificationHandler>();
        return services;
    }

    /// <summary>
    /// Acknowledge links, reminders and escalation (issue 11.3). The links are protected with Data Protection under the
    /// service's own key ring, kept in its database (so every replica reads every link) and encrypted at rest with
    /// <c>DataProtection:KeyEncryptionKey</c>.
    /// </summary>
    private static void AddAcknowledgement(this IServiceCollection services)
    {
        services.AddOptions<AcknowledgementOptions>().BindConfiguration(AcknowledgementOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AcknowledgementOptions>, AcknowledgementOptionsValidator>());
        services.AddSharedKeyRing("SurgiCase.NotificationService");
        services.AddSingleton<IAcknowledgementLog, SqlAcknowledgementLog>();
        services.AddSingleton<AcknowledgeTokens>();
        services.AddSingleton<AcknowledgeLinks>();
        services.AddSingleton<ReminderSender>();
    }

    /// <summary>
    /// The fallback webhook's client. Its URL is a secret (a Slack webhook's path is the token), so nothing may
    /// record it: no IHttpClientFactory loggers (they log the full URL), and no HttpClient span (url.full redacts
    /// the query only). Without an ActivityHeadersPropagator, SocketsHttpHandler leaves out its DiagnosticsHandler,
    /// so no System.Net.Http activity exists for any listener, and no traceparent goes to the third party.
    /// WebhookFallbackChannel traces the call itself with the host only. One attempt, bounded by
    /// Notifications:Webhook:Timeout, and no resilience handler: one would post the alert twice on a 5xx and could
    /// stretch one delivery past the claim lease.
    /// </summary>
    private static void AddWebhookClient(this IServiceCollection services)
    {
        services
            .AddHttpClient<IFallbackChannel, WebhookFallbackChannel>(
                WebhookFallbackChannel.HttpClientName,
                (sp, client) => client.Timeout = sp.GetRequiredService<IOptions<WebhookOptions>>().Value.Timeout)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { ActivityHeadersPropagator = null, AllowAutoRedirect = false })
            .RemoveAllLoggers();
    }
}
