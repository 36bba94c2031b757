using System.Net;
using System.Text;

namespace SurgiCase.NotificationService.Tests;

/// <summary>
/// Answers the first <see cref="FailuresLeft"/> requests with an AWS error moto cannot produce
/// (throttling, 5xx), then lets requests through to moto.
/// </summary>
internal sealed class FaultInjectingHandler(HttpStatusCode status, string errorType, int failures) : DelegatingHandler
{
    private int _failuresLeft = failures;

    public int FailuresLeft => Volatile.Read(ref _failuresLeft);

    public int Requests { get; private set; }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Requests++;
        if (Interlocked.Decrement(ref _failuresLeft) >= 0)
        {
            var response = new HttpResponseMessage(status)
            {
                Content = new StringContent($$"""{"__type":"{{errorType}}","message":"injected {{errorType}}"}""", Encoding.UTF8, "application/json"),
            };
            response.Headers.TryAddWithoutValidation("X-Amzn-ErrorType", errorType);
            return Task.FromResult(response);
        }

        return base.SendAsync(request, cancellationToken);
    }
}
