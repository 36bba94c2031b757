using Amazon.SQS;
using Amazon.SQS.Model;
using Microsoft.Extensions.Logging;

namespace SurgiCase.Messaging.Sqs;

/// <summary>
/// Keeps a message invisible while its handler runs: every half visibility timeout it extends the
/// timeout again, so a slow handler is not raced by a second delivery of the same message.
/// </summary>
internal sealed class VisibilityRenewal : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop;
    private readonly Task _loop;

    private VisibilityRenewal(CancellationTokenSource stop, Task loop)
    {
        _stop = stop;
        _loop = loop;
    }

    public static VisibilityRenewal Start(
        IAmazonSQS sqs,
        string queueUrl,
        Amazon.SQS.Model.Message message,
        int visibilityTimeoutSeconds,
        TimeProvider timeProvider,
        ILogger logger,
        CancellationToken cancellationToken)
    {
        var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var loop = RenewAsync(sqs, queueUrl, message, visibilityTimeoutSeconds, timeProvider, logger, stop.Token);
        return new VisibilityRenewal(stop, loop);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }

    private static async Task RenewAsync(
        IAmazonSQS sqs,
        string queueUrl,
        Amazon.SQS.Model.Message message,
        int visibilityTimeoutSeconds,
        TimeProvider timeProvider,
        ILogger logger,
        CancellationToken cancellationToken)
    {
        var period = TimeSpan.FromSeconds(visibilityTimeoutSeconds / 2.0);
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(period, timeProvider, cancellationToken);
                await sqs.ChangeMessageVisibilityAsync(
                    new ChangeMessageVisibilityRequest
                    {
                        QueueUrl = queueUrl,
                        ReceiptHandle = message.ReceiptHandle,
                        VisibilityTimeout = visibilityTimeoutSeconds,
                    },
                    cancellationToken);
                MessagingLog.VisibilityExtended(logger, message.MessageId, visibilityTimeoutSeconds);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // The handler keeps running; at worst the message is delivered again and deduplicated by eventId.
                MessagingLog.VisibilityChangeFailed(logger, e, message.MessageId);
            }
        }
    }
}
