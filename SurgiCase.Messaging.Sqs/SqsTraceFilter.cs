using Microsoft.Extensions.Options;
using OpenTelemetry.Instrumentation.Http;

namespace SurgiCase.Messaging.Sqs;

/// <summary>
/// Leaves the SQS calls a consumer or health check makes on a timer out of traces: a long-poll receive every 20 s would
/// be a trace of its own. The work a message causes is traced from the consumer's process span; sends and deletes stay.
/// Chained onto whatever filter is there, so the order of registration does not matter.
/// </summary>
internal sealed class SqsTraceFilter : IConfigureOptions<HttpClientTraceInstrumentationOptions>
{
    private static readonly HashSet<string> PollingTargets = new(StringComparer.Ordinal)
    {
        "AmazonSQS.ReceiveMessage", "AmazonSQS.GetQueueAttributes", "AmazonSQS.GetQueueUrl",
    };

    public void Configure(HttpClientTraceInstrumentationOptions options)
    {
        var previous = options.FilterHttpRequestMessage;
        options.FilterHttpRequestMessage = request => !IsPolling(request) && (previous is null || previous(request));
    }

    internal static bool IsPolling(HttpRequestMessage request) =>
        request.Headers.TryGetValues("X-Amz-Target", out var targets) && targets.FirstOrDefault() is { } target && PollingTargets.Contains(target);
}
