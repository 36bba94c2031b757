using Microsoft.Extensions.Options;
using SurgiCase.SchedulerService.OperationsPage;

namespace Microsoft.Extensions.Hosting;

/// <summary>The operations page at <c>/</c> and the sign-in that protects it and the JSON API.</summary>
public static class OperationsPageExtensions
{
    /// <summary>Call after <c>AddApiDefaults</c>: adds the cookie, the scheme selector and the policies.</summary>
    public static TBuilder AddOperationsPage<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        var services = builder.Services;
        services.AddOptions<OperationsOptions>().BindConfiguration(OperationsOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        var secureCookies = !builder.Environment.IsDevelopment();
        OperationsAuthentication.AddOperationsAuthentication(services, secureCookies);
        SignInRateLimit.Add(services);
        services.AddAntiforgery(options =>
        {
            options.Cookie.Name = "surgicase-operations-af";
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.Cookie.SecurePolicy = OperationsAuthentication.SecurePolicy(secureCookies);
            options.FormFieldName = "__af";
            // The page sets its own framing rules (frame-ancestors); the alert preview must stay framable by the page.
            options.SuppressXFrameOptionsHeader = true;
        });

        services.AddSingleton<OperationsData>();
        // Short, single attempts: a panel whose service is down says so at once instead of holding the page up.
        services.AddHttpClient<NotificationsPanel>(NotificationsPanel.HttpClientName, (sp, client) =>
            {
                var options = sp.GetRequiredService<IOptions<OperationsOptions>>().Value;
                client.BaseAddress = options.NotificationsBaseAddress;
                client.Timeout = options.PanelTimeout;
                if (!string.IsNullOrEmpty(options.NotificationsApiKey))
                {
                    client.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.HeaderName, options.NotificationsApiKey);
                }
            });
        services.AddHttpClient<SecretsPanel>(SecretsPanel.HttpClientName, (sp, client) =>
            {
                var configuration = sp.GetRequiredService<IConfiguration>();
                // The scheduler's own SecretsService caller key: /cache needs a known caller, no allow-list.
                client.BaseAddress = new Uri(configuration["SecretsClient:BaseAddress"] is { Length: > 0 } address ? address : "http://secrets-service");
                client.Timeout = sp.GetRequiredService<IOptions<OperationsOptions>>().Value.PanelTimeout;
                if (configuration["SecretsClient:ApiKey"] is { Length: > 0 } key)
                {
                    client.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.HeaderName, key);
                }
            });
        return builder;
    }

    public static WebApplication MapOperationsPage(this WebApplication app)
    {
        app.UseRateLimiter();
        app.MapOperationsPageEndpoints();
        return app;
    }
}
