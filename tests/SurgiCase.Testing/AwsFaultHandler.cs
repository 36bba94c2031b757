using System.Text;

namespace SurgiCase.Testing;

/// <summary>
/// Stands in for AWS where moto cannot misbehave. Installed with <c>AddAwsHttpHandler</c>, so it sits behind the signer
/// and sees the request exactly as AWS would.
/// </summary>
public sealed class AwsFaultHandler(AwsFaultPlan plan) : DelegatingHandler
{
    private static readonly int ClosedPort = MotoServer.FreeTcpPort();

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? "" : await request.Content.ReadAsStringAsync(cancellationToken);
        var headers = request.Headers.ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase);
        var fault = plan.Record(new AwsRequest(request.Method, request.RequestUri!, headers, request.Content?.Headers.ContentType?.ToString(), body));
        if (plan.Gate is { } gate)
        {
            await gate.Task.WaitAsync(cancellationToken);
        }

        switch (fault)
        {
            case AwsFault.ErrorFault error:
                var response = new HttpResponseMessage(error.Status)
                {
                    Content = new StringContent($$"""{"__type":"{{error.Code}}","message":"Injected {{error.Code}}"}""", Encoding.UTF8, "application/x-amz-json-1.1"),
                };
                response.Headers.TryAddWithoutValidation("X-Amzn-ErrorType", error.Code);
                return response;
            case AwsFault.RawFault raw:
                var answer = new HttpResponseMessage(raw.Status) { Content = new StringContent(raw.Body, Encoding.UTF8, "application/json") };
                if (raw.ErrorTypeHeader is not null)
                {
                    answer.Headers.TryAddWithoutValidation("X-Amzn-ErrorType", raw.ErrorTypeHeader);
                }

                return answer;
            case AwsFault.TimeoutFault:
                throw new TaskCanceledException("The request was canceled due to the configured HttpClient.Timeout.", new TimeoutException());
            case AwsFault.CredentialsFault:
                // Where the signer's credential resolution throws: before the request leaves.
                throw new Amazon.Runtime.AmazonServiceException("Unable to get IAM security credentials from EC2 Instance Metadata Service.");
            case AwsFault.UnexpectedFault:
                throw new InvalidOperationException("Injected unexpected failure.");
            case AwsFault.HangFault:
                await Task.Delay(System.Threading.Timeout.Infinite, cancellationToken);
                throw new InvalidOperationException("unreachable");
            case AwsFault.RefusedFault:
                request.RequestUri = new UriBuilder(request.RequestUri!) { Port = ClosedPort }.Uri;
                return await base.SendAsync(request, cancellationToken);
            default:
                return await base.SendAsync(request, cancellationToken);
        }
    }
}
