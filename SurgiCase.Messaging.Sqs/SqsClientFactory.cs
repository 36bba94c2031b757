using Amazon.Runtime;
using Amazon.SQS;
using SurgiCase.Aws;

namespace SurgiCase.Messaging.Sqs;

/// <summary>Builds the AWSSDK SQS client from <see cref="AwsOptions"/>, for the services, the AppHost and tests.</summary>
public static class SqsClientFactory
{
    /// <summary>Longest SQS long-poll wait; a receive may take this long before its reply starts.</summary>
    private static readonly TimeSpan MaxLongPoll = TimeSpan.FromSeconds(20);

    /// <param name="handlers">Extra handlers in front of every call (see <see cref="AwsHttpHandlers"/>); none in production.</param>
    public static IAmazonSQS Create(AwsOptions options, Func<IReadOnlyList<DelegatingHandler>>? handlers = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var config = new AmazonSQSConfig
        {
            Timeout = options.RequestTimeout + MaxLongPoll,
        };
        if (handlers is not null)
        {
            config.HttpClientFactory = new AwsHandlersHttpClientFactory(handlers);
        }

        if (options.ServiceUrl is not null)
        {
            // Never RegionEndpoint as well: it wins over ServiceURL and points at real AWS.
            config.ServiceURL = options.ServiceUrl.ToString();
            config.AuthenticationRegion = options.Region;
        }
        else
        {
            config.RegionEndpoint = Amazon.RegionEndpoint.GetBySystemName(options.Region);
        }

        return options.HasStaticCredentials
            ? new AmazonSQSClient(new BasicAWSCredentials(options.AccessKeyId, options.SecretAccessKey), config)
            : new AmazonSQSClient(config);
    }
}
