using Amazon.Runtime;
using Amazon.SQS;
using SurgiCase.Aws;

namespace SurgiCase.Messaging;

/// <summary>Builds the AWSSDK SQS client from <see cref="AwsOptions"/>, for the services, the AppHost and tests.</summary>
public static class SqsClientFactory
{
    /// <summary>Longest SQS long-poll wait; a receive may take this long before its reply starts.</summary>
    private static readonly TimeSpan MaxLongPoll = TimeSpan.FromSeconds(20);

    public static IAmazonSQS Create(AwsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var config = new AmazonSQSConfig
        {
            Timeout = options.RequestTimeout + MaxLongPoll,
        };

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
