using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SurgiCase.Aws;
using SurgiCase.Messaging;
using SurgiCase.Messaging.Contracts;
using SurgiCase.NotificationService.Rendering;
using SurgiCase.Messaging.Sqs;

namespace SurgiCase.Notifications.Benchmarks;

/// <summary>
/// Our side: the real <c>SurgiCase.Messaging</c> consumer (long polling, slots, visibility renewal, trace
/// extraction, a DI scope per message, metrics, delete after success) with a handler that renders and
/// sends through our SES client. Timed from host start until every message is handled and deleted.
/// </summary>
internal static class ConsumerPipeline
{
    public static async Task<TimeSpan> RunAsync(BenchEnvironment env, MessagingOptions queues, string queueUrl, int messages, int concurrency)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(env.AwsSettings);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Messaging:QueueName"] = queues.QueueName,
            ["Messaging:DeadLetterQueueName"] = queues.DeadLetterQueueName,
            ["Messaging:WaitTimeSeconds"] = "1",
            ["Messaging:MaxConcurrency"] = concurrency.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Messaging:MaxMessagesPerBatch"] = Math.Min(10, concurrency).ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        var counter = new HandledCounter(messages);
        builder.Services.AddSingleton(counter);
        builder.Services.AddSesEmailClient();
        builder.Services.AddSqsJobEventConsumer<RenderAndSendHandler>();
        using var host = builder.Build();

        var stopwatch = Stopwatch.StartNew();
        await host.StartAsync();
        await counter.AllHandled.WaitAsync(TimeSpan.FromMinutes(5));

        // The last deletes run just after the last handler returns.
        while (!await env.IsEmptyAsync(queueUrl))
        {
            await Task.Delay(5);
        }

        var elapsed = stopwatch.Elapsed;
        await host.StopAsync();
        return elapsed;
    }

    private sealed class HandledCounter(int expected)
    {
        private readonly TaskCompletionSource _all = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _count;

        public Task AllHandled => _all.Task;

        public void Handled()
        {
            if (Interlocked.Increment(ref _count) == expected)
            {
                _all.TrySetResult();
            }
        }
    }

    private sealed class RenderAndSendHandler(ISesEmailClient ses, HandledCounter counter) : IJobEventHandler
    {
        public async Task HandleAsync(IJobEvent jobEvent, DeliveryContext delivery, CancellationToken cancellationToken)
        {
            var email = EmailRenderer.Render(jobEvent, BenchEvents.Context);
            await ses.SendEmailAsync(
                new EmailMessage(BenchEnvironment.Sender, BenchEnvironment.Recipients, email.Subject, email.Html, email.Text), cancellationToken);
            counter.Handled();
        }
    }
}
