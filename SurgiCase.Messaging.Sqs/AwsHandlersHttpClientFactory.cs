using Amazon.Runtime;

namespace SurgiCase.Messaging.Sqs;

/// <summary>
/// Gives the AWSSDK SQS client an HttpClient with the <c>AwsHttpHandlers</c> registered for SQS in front, so a test can
/// inject what moto cannot do into SQS the way it does into the thin clients. Used only when such handlers exist.
/// </summary>
internal sealed class AwsHandlersHttpClientFactory(Func<IReadOnlyList<DelegatingHandler>> createHandlers) : HttpClientFactory
{
    private static readonly TimeSpan SdkDefaultTimeout = TimeSpan.FromSeconds(100);

    public override HttpClient CreateHttpClient(IClientConfig clientConfig)
    {
        HttpMessageHandler pipeline = new SocketsHttpHandler { AllowAutoRedirect = false };
        var handlers = createHandlers();
        for (var i = handlers.Count - 1; i >= 0; i--)
        {
            handlers[i].InnerHandler = pipeline;
            pipeline = handlers[i];
        }

        // The SDK sets the timeout only on the clients it builds itself.
        return new HttpClient(pipeline) { Timeout = clientConfig.Timeout ?? SdkDefaultTimeout };
    }

    public override bool DisposeHttpClientsAfterUse(IClientConfig clientConfig) => false;

    public override string GetConfigUniqueString(IClientConfig clientConfig) => nameof(AwsHandlersHttpClientFactory);
}
