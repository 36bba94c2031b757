using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using SurgiCase.Testing;
using SurgiCase.Messaging.Sqs;

namespace SurgiCase.Messaging.Tests;

[Collection(MotoCollection.Name)]
public sealed class ConsumerResilienceTests(MotoServer moto)
{
    [Fact]
    public async Task Consumer_survives_a_missing_queue_backs_off_and_resumes_when_it_exists()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var bed = await MessagingTestBed.StartAsync(moto, services: s =>
        {
            s.AddSingleton<TimeProvider>(time);
            s.AddLogging(l => l.AddFakeLogging());
        }, provision: false);
        var logs = bed.Host.Services.GetRequiredService<FakeLogCollector>();

        await WaitForAsync(() => logs.GetSnapshot().Any(r => r.Id.Name == "ReceiveFailed"), "the receive error was not logged");
        await bed.ProvisionAsync();
        await bed.Publisher.PublishAsync(SampleEvents.SimpleFailure());
        Assert.Equal(0, bed.Probe.Calls);

        // The consumer is waiting out its backoff on the fake clock; each advance ends the current wait.
        HandledEvent? handled = null;
        for (var i = 0; i < 20 && handled is null; i++)
        {
            time.Advance(TimeSpan.FromSeconds(30));
            bed.Probe.Handled.Reader.TryRead(out handled);
            if (handled is null)
            {
                using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(1));
                try
                {
                    handled = await bed.Probe.Handled.Reader.ReadAsync(wait.Token);
                }
                catch (OperationCanceledException)
                {
                    // not yet: advance again
                }
            }
        }

        Assert.NotNull(handled);
    }

    [Fact]
    public async Task Visibility_is_extended_while_a_slow_handler_runs()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var bed = await MessagingTestBed.StartAsync(moto, new Dictionary<string, string?>
        {
            ["Messaging:VisibilityTimeoutSeconds"] = "10",
        }, services: s =>
        {
            s.AddSingleton<TimeProvider>(time);
            s.AddLogging(l => l.AddFakeLogging().SetMinimumLevel(LogLevel.Debug));
        });
        var logs = bed.Host.Services.GetRequiredService<FakeLogCollector>();
        var release = new TaskCompletionSource();
        bed.Probe.Behavior = (_, ct) => release.Task.WaitAsync(ct);

        await bed.Publisher.PublishAsync(SampleEvents.SimpleFailure());
        await bed.Probe.NextAsync();
        Assert.DoesNotContain(logs.GetSnapshot(), r => r.Id.Name == "VisibilityExtended");

        // Advance until two renewals happened: the renewal loop re-arms its timer only after each SQS call
        // returns, so one advance may land before the next timer exists.
        var deadline = DateTime.UtcNow.AddSeconds(15);
        int Renewals() => logs.GetSnapshot().Count(r => r.Id.Name == "VisibilityExtended");
        while (Renewals() < 2)
        {
            Assert.True(DateTime.UtcNow < deadline, "the visibility was not extended twice");
            var before = Renewals();
            time.Advance(TimeSpan.FromSeconds(5));
            await WaitUntilAsync(() => Renewals() > before, TimeSpan.FromSeconds(2));
        }

        Assert.Equal(1, bed.Probe.Calls);
        release.SetResult();
        Assert.True(await bed.WaitUntilEmptyAsync(bed.QueueName, TimeSpan.FromSeconds(10)));
        Assert.DoesNotContain(logs.GetSnapshot(), r => r.Id.Name == "VisibilityChangeFailed");
        Assert.Equal(1, bed.Probe.Calls);
    }

    private static async Task WaitForAsync(Func<bool> condition, string failure) =>
        Assert.True(await WaitUntilAsync(condition, TimeSpan.FromSeconds(15)), failure);

    private static async Task<bool> WaitUntilAsync(Func<bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow >= deadline)
            {
                return false;
            }

            await Task.Yield();
        }

        return true;
    }
}
