using Microsoft.Extensions.Options;
using OpenTelemetry.Instrumentation.AspNetCore;
using OpenTelemetry.Instrumentation.Http;

namespace SurgiCase.LocalAwsProxy;

/// <summary>
/// Every service's timer-driven SQS polling (long-poll receives, DLQ size checks) and moto's admin API pass through
/// the proxy; traced, each poll would be a trace of its own, both as it comes in and as it goes on to moto.
/// Chained onto whatever filter is there, so the order of registration does not matter.
/// </summary>
internal sealed class ProxyTraceFilter : IConfigureOptions<AspNetCoreTraceInstrumentationOptions>, IConfigureOptions<HttpClientTraceInstrumentationOptions>
{
    private const string TargetHeader = "X-Amz-Target";
    private const string MotoAdminPath = "/moto-api";

    private static readonly HashSet<string> PollingTargets = new(StringComparer.Ordinal)
    {
        "AmazonSQS.ReceiveMessage", "AmazonSQS.GetQueueAttributes", "AmazonSQS.GetQueueUrl",
    };

    public void Configure(AspNetCoreTraceInstrumentationOptions options)
    {
        var previous = options.Filter;
        options.Filter = context =>
            !context.Request.Path.StartsWithSegments(MotoAdminPath)
            && !PollingTargets.Contains(context.Request.Headers[TargetHeader].ToString())
            && (previous is null || previous(context));
    }

    public void Configure(HttpClientTraceInstrumentationOptions options)
    {
        var previous = options.FilterHttpRequestMessage;
        options.FilterHttpRequestMessage = request =>
            !(request.RequestUri?.AbsolutePath.StartsWith(MotoAdminPath, StringComparison.Ordinal) ?? false)
            && !(request.Headers.TryGetValues(TargetHeader, out var targets) && PollingTargets.Contains(targets.FirstOrDefault() ?? ""))
            && (previous is null || previous(request));
    }
}
