using System.Diagnostics;
using Amazon.SQS;
using Amazon.SQS.Model;
using SurgiCase.Aws;
using SurgiCase.Messaging;
using SurgiCase.NotificationService.Rendering;

namespace SurgiCase.Notifications.Benchmarks;

/// <summary>
/// The baseline: the same AWS calls with nothing around them. ReceiveMessage (up to <c>concurrency</c>
/// messages) → parse → render → SES send → DeleteMessage, the messages of one receive in parallel.
/// No tracing, no visibility renewal, no DI scopes, no metrics, no logging.
/// </summary>
internal static class RawSdkLoop
{
    public static async Task<TimeSpan> RunAsync(BenchEnvironment env, string queueUrl, int messages, int concurrency)
    {
        var ses = env.Ses;
        var done = 0;
        var stopwatch = Stopwatch.StartNew();
        while (done < messages)
        {
            var response = await env.Sqs.ReceiveMessageAsync(new ReceiveMessageRequest
            {
                QueueUrl = queueUrl,
                MaxNumberOfMessages = concurrency,
                WaitTimeSeconds = 1,
                VisibilityTimeout = 30,
                MessageSystemAttributeNames = [MessageSystemAttributeName.ApproximateReceiveCount, MessageSystemAttributeName.SentTimestamp],
                MessageAttributeNames = ["All"],
            });
            var batch = response.Messages ?? [];
            await Task.WhenAll(batch.Select(async message =>
            {
                var jobEvent = JobEventSerializer.Deserialize(message.MessageAttributes["message-type"].StringValue, message.Body);
                var email = EmailRenderer.Render(jobEvent, BenchEvents.Context);
                await ses.SendEmailAsync(new EmailMessage(BenchEnvironment.Sender, BenchEnvironment.Recipients, email.Subject, email.Html, email.Text));
                await env.Sqs.DeleteMessageAsync(queueUrl, message.ReceiptHandle);
            }));
            done += batch.Count;
        }

        return stopwatch.Elapsed;
    }
}
