using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using SurgiCase.Testing;

namespace SurgiCase.Messaging.Tests;

/// <summary>
/// A closed <see cref="IReceiveGate"/> keeps the consumer from receiving: the message stays visible in moto's queue with
/// no receive spent, however often the consumer asks again; once the gate opens the message is handled on its first receive.
/// </summary>
[Collection(MotoCollection.Name)]
public sealed class ReceiveGateTests(MotoServer moto)
{
    [Fact]
    public async Task A_closed_gate_leaves_messages_in_the_queue_unreceived_until_it_opens()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var gate = new SwitchableGate();
        await using var bed = await MessagingTestBed.StartAsync(moto, services: s =>
        {
            s.AddSingleton<TimeProvider>(time);
            s.AddSingleton<IReceiveGate>(gate);
            s.AddLogging(l => l.AddFakeLogging());
        });
        var logs = bed.Host.Services.GetRequiredService<FakeLogCollector>();
        await WaitForAsync(() => gate.Checks >= 1, "the consumer did not ask the gate");
        await bed.Publisher.PublishAsync(SampleEvents.SimpleFailure());

        // Each advance ends the consumer's backoff (one landing before its timer exists is repeated); it asks the
        // closed gate again and must not receive.
        await AdvanceUntilAsync(time, () => gate.Checks >= 4, "the consumer did not ask the gate again after its backoff");

        Assert.Equal(0, bed.Probe.Calls);
        Assert.Equal((1, 0), await bed.CountsAsync(bed.QueueName));
        var closed = Assert.Single(logs.GetSnapshot(), r => r.Id.Name == "NotReceiving");
        Assert.Equal(LogLevel.Warning, closed.Level);
        Assert.Contains("store is down", closed.Message, StringComparison.Ordinal);

        gate.Open();
        await AdvanceUntilAsync(time, () => bed.Probe.Calls > 0, "the consumer did not receive after the gate opened");
        var handled = await bed.Probe.NextAsync();
        Assert.Equal(1, handled.Delivery.ReceiveCount);
        Assert.True(await bed.WaitUntilEmptyAsync(bed.QueueName, TimeSpan.FromSeconds(10)), "the handled message was not deleted");
        Assert.Single(logs.GetSnapshot(), r => r.Id.Name == "ReceivingAgain");
    }

    private static async Task AdvanceUntilAsync(FakeTimeProvider time, Func<bool> condition, string failure)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, failure);
            time.Advance(TimeSpan.FromSeconds(30));
            var settle = DateTime.UtcNow + TimeSpan.FromMilliseconds(200);
            while (!condition() && DateTime.UtcNow < settle)
            {
                await Task.Yield();
            }
        }
    }

    private static async Task WaitForAsync(Func<bool> condition, string failure)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, failure);
            await Task.Yield();
        }
    }

    private sealed class SwitchableGate : IReceiveGate
    {
        private int _checks;
        private volatile bool _isOpen;

        public int Checks => Volatile.Read(ref _checks);

        public void Open() => _isOpen = true;

        public ValueTask<ReceiveGateState> CheckAsync(CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _checks);
            return ValueTask.FromResult(_isOpen ? ReceiveGateState.Open : ReceiveGateState.Closed("the store is down"));
        }
    }
}
