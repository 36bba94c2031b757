using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.Signing;

namespace SurgiCase.Aws;

/// <summary>
/// Signs each request with SigV4 using AWSSDK.Core's <see cref="SigV4SigningHandler"/>.
/// That handler installs its own transport when given no inner handler, which IHttpClientFactory
/// rejects (it must own the pipeline's inner handlers), so it is wrapped here: it signs, then hands
/// the request back to this handler's factory-assigned inner handler.
/// </summary>
internal sealed class AwsSigningHandler : DelegatingHandler
{
    private readonly HttpMessageInvoker _signer;

    public AwsSigningHandler(AWSCredentials credentials, string region, string service)
    {
        var signing = new SigV4SigningHandler(credentials, RegionEndpoint.GetBySystemName(region), service, new ForwardToInner(this));
        _signer = new HttpMessageInvoker(signing, disposeHandler: true);
    }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        _signer.SendAsync(request, cancellationToken);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _signer.Dispose();
        }

        base.Dispose(disposing);
    }

    private Task<HttpResponseMessage> SendSignedAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        base.SendAsync(request, cancellationToken);

    private sealed class ForwardToInner(AwsSigningHandler outer) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            outer.SendSignedAsync(request, cancellationToken);
    }
}
