using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace SurgiCase.LocalAwsProxy;

/// <summary>Where the real local AWS (moto) is. Bound from <c>LocalAwsProxy</c>.</summary>
internal sealed class LocalAwsProxyOptions
{
    public const string SectionName = "LocalAwsProxy";

    [Required(ErrorMessage = "LocalAwsProxy:Upstream is required: the URL of moto_server, e.g. http://127.0.0.1:4566.")]
    public Uri? Upstream { get; set; }
}

internal static class LocalAwsProxyExtensions
{
    public const string FaultsPath = "/proxy/faults";

    public static WebApplicationBuilder AddLocalAwsProxy(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<LocalAwsProxyOptions>()
            .BindConfiguration(LocalAwsProxyOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<AwsFaultSwitch>();
        builder.Services.AddProblemDetails();
        // Forwarding must be transparent: no retries or timeouts of our own between the caller and moto.
        builder.Services.AddHttpClient<AwsForwarder>((sp, http) =>
        {
            http.BaseAddress = sp.GetRequiredService<IOptions<LocalAwsProxyOptions>>().Value.Upstream;
            http.Timeout = Timeout.InfiniteTimeSpan;
        }).RemoveAllResilienceHandlers();
        return builder;
    }

    public static WebApplication MapLocalAwsProxyEndpoints(this WebApplication app)
    {
        var faults = app.MapGroup(FaultsPath);
        faults.MapGet("/", (AwsFaultSwitch faultSwitch) => Results.Ok(faultSwitch.Snapshot()));
        faults.MapPost("/", (AwsFault fault, AwsFaultSwitch faultSwitch) =>
        {
            var errors = fault.Validate().ToArray();
            if (errors.Length > 0)
            {
                return Results.ValidationProblem(new Dictionary<string, string[]> { ["fault"] = errors });
            }

            faultSwitch.Set(fault);
            return Results.Ok(faultSwitch.Snapshot());
        });
        faults.MapDelete("/", (string? service, AwsFaultSwitch faultSwitch) =>
        {
            faultSwitch.Clear(service);
            return Results.Ok(faultSwitch.Snapshot());
        });

        // Everything else is AWS traffic for moto.
        app.Map("/{**path}", (HttpContext context, AwsForwarder forwarder) => forwarder.HandleAsync(context));
        return app;
    }
}
