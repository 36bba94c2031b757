using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using SurgiCase.LocalAwsProxy.Endpoints;
using SurgiCase.LocalAwsProxy.Faults;
using SurgiCase.LocalAwsProxy.Ses;

namespace SurgiCase.LocalAwsProxy;

internal static class LocalAwsProxyExtensions
{
    public static WebApplicationBuilder AddLocalAwsProxy(this WebApplicationBuilder builder)
    {
        // A local stand-in: its fault switch is open on purpose, like moto itself.
        builder.AddApiDefaults(apiKeys: false);
        builder.Services.AddOptions<LocalAwsProxyOptions>().BindConfiguration(LocalAwsProxyOptions.SectionName).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<LocalAwsProxyOptions>, LocalAwsProxyOptionsValidator>();
        builder.Services.AddSingleton<AwsFaultSwitch>();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<OpenTelemetry.Instrumentation.AspNetCore.AspNetCoreTraceInstrumentationOptions>, ProxyTraceFilter>());
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<OpenTelemetry.Instrumentation.Http.HttpClientTraceInstrumentationOptions>, ProxyTraceFilter>());
        // Forwarding must be transparent: no retries or timeouts of our own between the caller and moto.
        builder.Services.AddHttpClient<AwsForwarder>((sp, http) =>
        {
            http.BaseAddress = sp.GetRequiredService<IOptions<LocalAwsProxyOptions>>().Value.Upstream;
            http.Timeout = Timeout.InfiniteTimeSpan;
        });
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddHttpClient<MailboxSimulator>((sp, http) =>
            http.BaseAddress = sp.GetRequiredService<IOptions<LocalAwsProxyOptions>>().Value.Upstream);
        return builder;
    }

    public static WebApplication MapLocalAwsProxyEndpoints(this WebApplication app)
    {
        app.MapAwsFaultEndpoints();
        // Everything else is AWS traffic for moto.
        app.Map("/{**path}", (HttpContext context, AwsForwarder forwarder) => forwarder.HandleAsync(context));
        return app;
    }
}
