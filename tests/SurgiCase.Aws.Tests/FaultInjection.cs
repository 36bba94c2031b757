using System.Net;
using System.Text;

namespace SurgiCase.Aws.Tests;

/// <summary>One request as it left the client pipeline, i.e. after signing.</summary>
internal sealed record RecordedRequest(HttpMethod Method, Uri Uri, IReadOnlyDictionary<string, string> Headers, string? ContentType, string Body);

/// <summary>
/// Stands in for AWS where moto cannot misbehave (5xx, hangs). Installed with AddHttpMessageHandler,
/// so it sits after the signing handler and sees the request exactly as AWS would.
/// </summary>
internal sealed class FaultInjector(Func<RecordedRequest, CancellationToken, Task<HttpResponseMessage>> respond)
{
    private readonly List<RecordedRequest> _requests = [];
    private readonly Func<RecordedRequest, CancellationToken, Task<HttpResponseMessage>> _respond = respond;

    public IReadOnlyList<RecordedRequest> Requests
    {
        get
        {
            lock (_requests)
            {
                return [.. _requests];
            }
        }
    }

    public static FaultInjector Respond(HttpStatusCode status, string body, string? errorTypeHeader = null) =>
        new((_, _) =>
        {
            var response = new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            if (errorTypeHeader is not null)
            {
                response.Headers.Add("X-Amzn-ErrorType", errorTypeHeader);
            }

            return Task.FromResult(response);
        });

    /// <summary>Accepts the request and never answers; only cancellation ends it.</summary>
    public static FaultInjector NeverAnswer(TaskCompletionSource? reached = null) =>
        new(async (_, ct) =>
        {
            reached?.TrySetResult();
            await Task.Delay(Timeout.Infinite, ct);
            throw new InvalidOperationException("unreachable");
        });

    public DelegatingHandler CreateHandler() => new Handler(this);

    private sealed class Handler(FaultInjector owner) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var headers = request.Headers.ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase);
            var body = request.Content is null ? "" : await request.Content.ReadAsStringAsync(cancellationToken);
            var recorded = new RecordedRequest(request.Method, request.RequestUri!, headers, request.Content?.Headers.ContentType?.ToString(), body);
            lock (owner._requests)
            {
                owner._requests.Add(recorded);
            }

            return await owner._respond(recorded, cancellationToken);
        }
    }
}
