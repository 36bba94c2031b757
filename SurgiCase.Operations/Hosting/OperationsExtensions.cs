using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using SurgiCase.Operations;
using SurgiCase.Operations.Endpoints;
using SurgiCase.Operations.Hosting;
using SurgiCase.Operations.Jobs;
using SurgiCase.Operations.Panels;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// The operations page: overview at <c>/</c>, job pages and alert previews under <c>/ops</c>, sign-in at <c>/signin</c>.
/// The host brings the jobs (an <see cref="IJobOperations"/>) and its JSON API; this brings the rest.
/// </summary>
public static class OperationsExtensions
{
    /// <summary>
    /// Call after <c>AddApiDefaults</c>: adds the cookie sign-in (and makes the default scheme pick API key or
    /// cookie per request), the page policy, antiforgery, the sign-in rate limit, and the side panels' clients.
    /// </summary>
    /// <param name="secretsCacheSection">The section holding the SecretsService address and key (<see cref="SecretsCacheOptions"/>).</param>
    public static TBuilder AddOperations<TBuilder>(this TBuilder builder, string secretsCacheSection = SecretsCacheOptions.DefaultSectionName)
        where TBuilder : IHostApplicationBuilder
    {
        var services = builder.Services;
        services.AddOptions<OperationsOptions>().BindConfiguration(OperationsOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<OperationsOptions>, OperationsOptionsValidator>();
        services.AddOptions<SecretsCacheOptions>().BindConfiguration(secretsCacheSection).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SecretsCacheOptions>, SecretsCacheOptionsValidator>();
        services.TryAddSingleton(TimeProvider.System);

        services.AddOptions<OperationsOidcOptions>().BindConfiguration(OperationsOidcOptions.SectionName);
        services.AddSingleton<IValidateOptions<OperationsOptions>, SignInOptionsValidator>();
        services.AddSingleton<SessionRevocations>();
        services.TryAddSingleton<ISessionRevocationStore, InMemorySessionRevocationStore>();
        services.AddSingleton<SignInMethods>();
        // Read now: whether single sign-on is on decides which authentication schemes exist.
        var oidc = builder.Configuration.GetSection(OperationsOidcOptions.SectionName).Get<OperationsOidcOptions>() ?? new OperationsOidcOptions();
        var development = builder.Environment.IsDevelopment();
        var secureCookies = !development;
        OperationsAuthentication.Add(services, secureCookies, oidc, development);
        SignInRateLimit.Add(services);
        AcknowledgeLinkRateLimit.Add(services);
        services.AddAntiforgery(options =>
        {
            options.Cookie.Name = OperationsAuthentication.AntiforgeryCookieName(secureCookies);
            options.Cookie.Path = "/";
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.Cookie.SecurePolicy = OperationsAuthentication.SecurePolicy(secureCookies);
            options.FormFieldName = "__af";
            // The page sets its own framing rules (frame-ancestors); the alert preview must stay framable by the page.
            options.SuppressXFrameOptionsHeader = true;
        });
        // Static server rendering only: RazorComponentResult renders a component per request; no circuit is ever opened.
        services.AddRazorComponents();
        // The emailed link's token: masked in every log record, scope and span (ServiceDefaults' SecretPathRedactor).
        services.AddSecretPathPrefix(OperationsRoutes.AcknowledgeLinkPrefix);

        // Short, single attempts: a panel whose service is down says so at once instead of holding the page up.
        services.AddHttpClient<NotificationsClient>(ConfigureNotifications).WithoutRedirects();
        services.AddHttpClient<DeadLettersClient>(ConfigureNotifications).WithoutRedirects();
        services.AddHttpClient<SecretsCacheClient>((sp, client) =>
            {
                var secrets = sp.GetRequiredService<IOptions<SecretsCacheOptions>>().Value;
                var options = sp.GetRequiredService<IOptions<OperationsOptions>>().Value;
                client.BaseAddress = secrets.BaseAddress;
                client.Timeout = options.PanelTimeout;
                AddApiKey(client, string.IsNullOrEmpty(options.SecretsApiKey) ? secrets.ApiKey : options.SecretsApiKey);
            }).WithoutRedirects();
        return builder;
    }

    /// <summary>Maps the page and its stylesheet and script; call after <c>UseAuthentication</c>/<c>UseAuthorization</c>.</summary>
    public static WebApplication MapOperations(this WebApplication app)
    {
        app.UseRateLimiter();
        var development = app.Environment.IsDevelopment();
        // From the configuration, not the options: their validation belongs to the start, with its one clear line.
        if (!development && app.Configuration.GetValue<bool?>("Operations:BreakGlassKeySignIn") == true)
        {
            OperationsLog.BreakGlassOn(app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(OperationsExtensions).FullName!));
        }

        // Behind HTTPS (the load balancer's scheme comes through the forwarded headers) the browser is told to stay on it.
        if (!development)
        {
            app.Use((context, next) =>
            {
                if (context.Request.IsHttps)
                {
                    context.Response.Headers.StrictTransportSecurity = "max-age=31536000; includeSubDomains";
                }

                return next(context);
            });
        }

        // The browser must take the stylesheet and script for exactly what their content type says.
        app.Use((context, next) =>
        {
            if (context.Request.Path.StartsWithSegments(OperationsRoutes.Assets))
            {
                context.Response.Headers.XContentTypeOptions = "nosniff";
            }

            return next(context);
        });
        // The stylesheet and script from this library's wwwroot (the host's static web assets: the scheduler has none of
        // its own), by the endpoints manifest the SDK writes at build and publish, so a published app serves them in
        // Production too, with ETags and compressed variants. Anonymous: the sign-in page needs the stylesheet, and they
        // hold no data.
        app.MapStaticAssets().AllowAnonymous();
        OperationsEndpoints.Map(app);
        return app;
    }

    private static void ConfigureNotifications(IServiceProvider services, HttpClient client)
    {
        var options = services.GetRequiredService<IOptions<OperationsOptions>>().Value;
        client.BaseAddress = options.NotificationsBaseAddress;
        client.Timeout = options.PanelTimeout;
        AddApiKey(client, options.NotificationsApiKey);
    }

    private static void AddApiKey(HttpClient client, string? key)
    {
        if (!string.IsNullOrEmpty(key))
        {
            client.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.HeaderName, key);
        }
    }
}
