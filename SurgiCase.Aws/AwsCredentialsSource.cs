using Amazon.Runtime;
using Amazon.Runtime.Credentials;
using Microsoft.Extensions.Options;

namespace SurgiCase.Aws;

/// <summary>
/// The credentials every AWS client signs with: the configured key pair when both halves are set,
/// else AWSSDK.Core's standard chain (environment, profile, container/instance role).
/// One instance per container, so the chain is resolved and cached once, not per HTTP handler.
/// </summary>
internal sealed class AwsCredentialsSource : IDisposable
{
    private readonly DefaultAWSCredentialsIdentityResolver? _resolver;

    public AwsCredentialsSource(IOptions<AwsOptions> options)
    {
        var o = options.Value;
        if (o.HasStaticCredentials)
        {
            Credentials = new BasicAWSCredentials(o.AccessKeyId, o.SecretAccessKey);
        }
        else
        {
            _resolver = new DefaultAWSCredentialsIdentityResolver();
            Credentials = new DefaultChainCredentials(_resolver);
        }
    }

    public AWSCredentials Credentials { get; }

    public void Dispose() => _resolver?.Dispose();

    /// <summary>
    /// Resolves the chain on first use rather than at construction, so a missing credential
    /// surfaces as a failed AWS call (which callers handle) instead of a DI failure at start-up.
    /// </summary>
    private sealed class DefaultChainCredentials(DefaultAWSCredentialsIdentityResolver resolver) : AWSCredentials
    {
        public override ImmutableCredentials GetCredentials() => resolver.ResolveIdentity(null!).GetCredentials();

        public override async Task<ImmutableCredentials> GetCredentialsAsync()
        {
            var resolved = await resolver.ResolveIdentityAsync(null!, CancellationToken.None).ConfigureAwait(false);
            return await resolved.GetCredentialsAsync().ConfigureAwait(false);
        }
    }
}
