using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using SurgiCase.Messaging;
using SurgiCase.NotificationService.Acknowledgement;
using SurgiCase.NotificationService.DeadLetters;
using SurgiCase.NotificationService.Delivery;
using SurgiCase.NotificationService.Feedback;
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
        builder.AddApiDocument("SurgiCase NotificationService",
            "The alerts sent for job events (delivery log, rendered previews, test sends) and their acknowledgement.");

        builder.Services.AddSecretsClient();
        builder.Services.AddNotificationDelivery();
        builder.Services.AddSqsJobEventConsumer<JobEventNotificationHandler>();
        builder.Services.AddHostedService<DigestService>();
        builder.Services.AddHostedService<ReminderService>();
        builder.Services.AddSqsClient();
        builder.Services.AddHostedService<SesFeedbackConsumer>();
        builder.Services.AddDeadLetterReplay();
        builder.Services.AddHealthChecks()
            .AddCheck<DeliveryHealth>("alert-delivery")
            .AddCheck<DeliveryLogHealth>("delivery-log")
            .AddCheck<BouncedAddressHealth>("recipient-bounces", HealthStatus.Degraded)
            .AddSqsDeadLetterQueueCheck();
        return builder;
    }

    /// <summary>
    /// Listing and replaying the job-events DLQ (issue 19.4), audited in the service's database
    /// (<see cref="DeadLetterReplaySchema"/>). This service owns the DLQ: it is the queue's consumer.
    /// </summary>
    public static IServiceCollection AddDeadLetterReplay(this IServiceCollection services)
    {
        services.AddSqlSchema(DeadLetterReplaySchema.Table);
        services.AddSingleton<DeadLetterReplayLog>();
        services.AddSingleton<DeadLetterQueue>();
        services.AddSingleton<DeadLetterReplayer>();
        return services;
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
        // The acknowledge links in emails carry tokens: only over https outside Development.
        services.AddSingleton<IValidateOptions<NotificationOptions>>(sp => new HttpsOutsideDevelopment<NotificationOptions>(
            sp.GetRequiredService<IHostEnvironment>(), NotificationOptions.SectionName + ":OperationsPageUrl", o => o.OperationsPageUrl));
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
        services.AddDeliveryPipeline();
        services.AddSingleton<DigestSender>();
        services.AddScoped<JobEventNotificationHandler>();
        services.AddSesFeedback();
        return services;
    }

    /// <summary>
    /// Confirmed delivery (issue 19.3): SES's bounces, complaints and deliveries, per recipient, into the delivery log;
    /// a bounced critical alert re-sent. The queue consumer itself is added by <see cref="AddNotificationService"/>.
    /// </summary>
    private static void AddSesFeedback(this IServiceCollection services)
    {
        services.AddOptions<SesFeedbackOptions>().BindConfiguration(SesFeedbackOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SesFeedbackOptions>, SesFeedbackOptionsValidator>());
        services.AddSingleton<DeliveryFeedbackLog>();
        services.AddSingleton<BouncedAddressHealth>();
        services.AddScoped<BounceRebound>();
        services.AddScoped<SesFeedbackHandler>();
    }

    /// <summary>
    /// The delivery pipeline, composed here and only here: claim, fold or suppress, resolve recipients, render, send per
    /// channel, record (see <see cref="NotificationDispatcher"/>), and the channels. Channels are tried in the order they
    /// are registered; each says its own role per severity (<see cref="IAlertChannel.RolesFor"/>). The steps that hold
    /// channels are scoped, as the webhook's typed HttpClient is per use.
    /// </summary>
    private static void AddDeliveryPipeline(this IServiceCollection services)
    {
        services.AddAlertChannel<EmailAlertChannel>();
        services.AddWebhookChannel();

        services.AddSingleton<DeliveryRecorder>();
        services.AddSingleton<ClaimStep>();
        services.AddSingleton<AlertStormGuard>();
        services.AddSingleton<FoldStep>();
        services.AddSingleton<RenderStep>();
        services.AddSingleton<ReminderSchedule>();
        services.AddScoped<ChannelSendStep>();
        services.AddScoped<AlertDelivery>();
        services.AddScoped<NotificationDispatcher>();
        services.AddScoped<ParallelChannelDispatcher>();
    }

    /// <summary>A new alert channel: one class implementing <see cref="IAlertChannel"/> and this one line in <see cref="AddDeliveryPipeline"/>.</summary>
    private static void AddAlertChannel<TChannel>(this IServiceCollection services)
        where TChannel : class, IAlertChannel =>
        services.AddTransient<IAlertChannel, TChannel>();

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
        services.AddSingleton<ReminderComposer>();
        services.AddSingleton<ReminderRecorder>();
        services.AddScoped<ReminderDelivery>();
        services.AddSingleton<ReminderSender>();
    }

    /// <summary>
    /// The webhook channel (fallback, and beside the email for the chosen severities) and its client. Its URL is a secret (a Slack webhook's path is the token), so nothing may
    /// record it: no IHttpClientFactory loggers (they log the full URL), and no HttpClient span (url.full redacts
    /// the query only). Without an ActivityHeadersPropagator, SocketsHttpHandler leaves out its DiagnosticsHandler,
    /// so no System.Net.Http activity exists for any listener, and no traceparent goes to the third party.
    /// WebhookAlertChannel traces the call itself with the host only. One attempt, bounded by
    /// Notifications:Webhook:Timeout, and no resilience handler: one would post the alert twice on a 5xx and could
    /// stretch one delivery past the claim lease.
    /// </summary>
    private static void AddWebhookChannel(this IServiceCollection services)
    {
        // The channel's registration: a typed client adds IAlertChannel, in this place among the channels.
        services
            .AddHttpClient<IAlertChannel, WebhookAlertChannel>(
                WebhookAlertChannel.HttpClientName,
                (sp, client) => client.Timeout = sp.GetRequiredService<IOptions<WebhookOptions>>().Value.Timeout)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { ActivityHeadersPropagator = null, AllowAutoRedirect = false })
            .RemoveAllLoggers();
    }
}
