using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SurgiCase.Aws;
using SurgiCase.Messaging;
using SurgiCase.NotificationService.Recipients;
using SurgiCase.Testing;

namespace SurgiCase.NotificationService.Tests;

/// <summary>
/// A NotificationService stopped in the middle of a batch and started again on the same queue and SQLite
/// file: the real consumer, the real SES client on moto, no clock tricks — shutdown comes while some
/// messages are done, one send is in flight and the rest are received but not handled.
/// </summary>
[Collection(MotoCollection.Name)]
public sealed class ConsumerRestartTests(MotoServer moto) : IAsyncLifetime
{
    private const int Events = 30;
    private const int Concurrency = 10;
    private const int DoneBeforeStop = 5; // the 5th is the one in flight

    private readonly TempDirectory _dir = new();

    public Task InitializeAsync() => MotoCollection.ResetAndVerifySenderAsync(moto);

    public Task DisposeAsync()
    {
        _dir.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_consumer_stopped_mid_batch_and_restarted_emails_every_event_once()
    {
        var queues = ConsumerHost.NewQueues();
        var settings = new Dictionary<string, string?>
        {
            ["Notifications:DataDirectory"] = _dir.Path,
            ["Messaging:MaxConcurrency"] = Concurrency.ToString(),
            // Messages the stopped consumer did not delete come back to the new one after 5 s.
            ["Messaging:VisibilityTimeoutSeconds"] = "5",
        };
        var sesAnswer = new HeldSesAnswer(holdAt: DoneBeforeStop);
        var recipients = new RecipientsThatStall(passing: DoneBeforeStop);
        var first = await ConsumerHost.StartAsync(moto, queues, settings, services =>
        {
            services.AddSingleton<IRecipientSource>(recipients);
            services.AddAwsHttpHandler(AwsServiceNames.Ses, _ => sesAnswer);
        });

        var events = Enumerable.Range(1, Events)
            .Select(i => TestEvents.Failed() with { JobId = $"job-{i:00}", JobName = $"Nightly Export {i:00}", RunId = $"run-{i:00}-{Guid.NewGuid():N}" })
            .ToList();
        var publisher = first.Services.GetRequiredService<IJobEventPublisher>();
        foreach (var jobEvent in events)
        {
            await publisher.PublishAsync(jobEvent);
        }

        try
        {
            // Every slot busy: 4 emailed and deleted, 1 accepted by SES with its answer held, 9 received and waiting.
            await WaitForAsync(() => Task.FromResult(sesAnswer.Held.IsCompleted && recipients.Waiting == Concurrency - 1), "the consumer never filled its slots");
            Assert.Equal(DoneBeforeStop, (await moto.GetSentEmailsAsync()).Count);

            // Stop with a short timeout, as an orchestrator does; only then does SES's answer arrive.
            using (var stopTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(1)))
            {
                try
                {
                    await first.Host.StopAsync(stopTimeout.Token);
                }
                catch (OperationCanceledException)
                {
                    // the timeout ran out while the in-flight send was still waiting for its answer
                }
            }

            sesAnswer.Release();
            await Task.WhenAll(first.Services.GetServices<IHostedService>().OfType<BackgroundService>().Select(s => s.ExecuteTask ?? Task.CompletedTask))
                .WaitAsync(TimeSpan.FromSeconds(10));
        }
        finally
        {
            sesAnswer.Release();
            first.Host.Dispose();
        }

        Assert.Equal(DoneBeforeStop, (await moto.GetSentEmailsAsync()).Count);

        // A new replica on the same queue and delivery log.
        await using var second = await ConsumerHost.StartAsync(moto, queues, settings);
        await WaitForAsync(async () => await second.CountsAsync(queues.QueueName) == (0, 0), "the queue never drained");

        var emails = await moto.GetSentEmailsAsync();
        Assert.Equal(Events, emails.Count);
        foreach (var jobEvent in events)
        {
            var email = Assert.Single(emails, e => e.Body.Contains(jobEvent.RunId, StringComparison.Ordinal));
            Assert.Equal($"🚨 CRITICAL: Scheduled Job Failed - {jobEvent.JobName}", email.Subject);
        }

        var rows = await second.Log.ListAsync(100, CancellationToken.None);
        Assert.Equal(events.Select(e => e.EventId).Order(), rows.Select(r => r.EventId).Order());
        Assert.All(rows, r => Assert.Equal(("sent", "email"), (r.Status, r.Channel)));
        // The 9 interrupted deliveries were taken up again by the new replica; nothing else was tried twice.
        Assert.Equal(Concurrency - 1, rows.Count(r => r.Attempts == 2));
        Assert.Equal((0, 0), await second.CountsAsync(queues.DeadLetterQueueName));
    }

    /// <summary>Polls an async outcome until it holds or the deadline passes.</summary>
    private static async Task WaitForAsync(Func<Task<bool>> condition, string failure)
    {
        var deadline = DateTime.UtcNow.AddSeconds(25);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, failure);
            await Task.Delay(50);
        }
    }
}
