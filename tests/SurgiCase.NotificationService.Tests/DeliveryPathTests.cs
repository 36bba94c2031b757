using System.Collections.Concurrent;
using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using SurgiCase.NotificationService.Recipients;
using SurgiCase.NotificationService.Storage;
using SurgiCase.Testing;

namespace SurgiCase.NotificationService.Tests;

/// <summary>
/// The email's critical path (issue 19.7): the recipients lookup (a call to SecretsService) runs while the event is
/// claimed instead of after, and the delivery log takes no write between the claim (taken in flight) and the send: the
/// rendered alert is kept with the outcome.
/// </summary>
[Collection(MotoCollection.Name)]
public sealed class DeliveryPathTests(MotoServer moto) : IAsyncLifetime
{
    public Task InitializeAsync() => MotoCollection.ResetAndVerifySenderAsync(moto);

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task The_recipients_lookup_runs_while_the_event_is_claimed_and_no_write_comes_between_the_claim_and_the_send()
    {
        var lookup = new GatedRecipientSource();
        LogSpy? spy = null;
        await using var harness = DeliveryHarness.Create(moto, configure: services =>
        {
            services.AddSingleton<IRecipientSource>(lookup);
            services.AddSingleton(sp => LogSpy.Wrap(ActivatorUtilities.CreateInstance<SqlDeliveryLog>(sp), () => lookup.Pending, out spy));
        });
        _ = harness.Log;
        var log = spy ?? throw new InvalidOperationException("the delivery log was not wrapped");
        var failed = TestEvents.Failed();

        var handling = harness.HandleAsync(failed);
        try
        {
            // The claim completes while the lookup, started before it, has not answered yet.
            await log.Claimed.Task.WaitAsync(TimeSpan.FromSeconds(30));
            Assert.True(log.LookupPendingAtClaim);
            Assert.True(lookup.Pending);
        }
        finally
        {
            lookup.Release();
        }

        await handling;
        var email = Assert.Single(await moto.GetSentEmailsAsync());
        Assert.Equal(["oncall-lead@surgicase.local"], email.To);
        var writes = log.Calls.Where(call => call.StartsWith("Record", StringComparison.Ordinal) || call.StartsWith("Mark", StringComparison.Ordinal)).ToList();
        Assert.Equal([nameof(IDeliveryLog.MarkDeliveredAsync)], writes);
        var record = Assert.Single(await harness.Log.ListAsync(10, CancellationToken.None));
        Assert.Equal(("sent", "oncall-lead@surgicase.local"), (record.Status, string.Join(',', record.Recipients)));
        // The rendered alert came with the delivered mark: the preview is there.
        Assert.Equal(email.Subject, record.Subject);
        Assert.Contains("Weekly Provider Payment Report", await harness.Log.GetHtmlAsync(record.Id, CancellationToken.None), StringComparison.Ordinal);
    }

    /// <summary>The recipients secret, answering only when the test says so.</summary>
    private sealed class GatedRecipientSource : IRecipientSource
    {
        private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Asked and not yet answered.</summary>
        public bool Pending { get; private set; }

        public void Release() => _gate.TrySetResult();

        public async Task<RecipientSettings> ReadAsync(CancellationToken cancellationToken)
        {
            Pending = true;
            await _gate.Task.WaitAsync(cancellationToken);
            Pending = false;
            return new RecipientSettings("oncall-lead@surgicase.local", null);
        }
    }
}

/// <summary>The real delivery log, noting each call and whether the recipients lookup was pending when the claim began.</summary>
internal class LogSpy : DispatchProxy
{
    private IDeliveryLog _inner = null!;
    private Func<bool> _lookupPending = null!;

    public ConcurrentQueue<string> Calls { get; } = new();

    public TaskCompletionSource Claimed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public bool? LookupPendingAtClaim { get; private set; }

    public static IDeliveryLog Wrap(IDeliveryLog inner, Func<bool> lookupPending, out LogSpy? spy)
    {
        var log = Create<IDeliveryLog, LogSpy>();
        spy = (LogSpy)(object)log;
        spy._inner = inner;
        spy._lookupPending = lookupPending;
        return log;
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        Calls.Enqueue(targetMethod!.Name);
        var claiming = targetMethod.Name == nameof(IDeliveryLog.TryClaimAsync);
        if (claiming)
        {
            LookupPendingAtClaim ??= _lookupPending();
        }

        var result = targetMethod.Invoke(_inner, args);
        if (claiming)
        {
            ((Task)result!).ContinueWith(_ => Claimed.TrySetResult(), TaskScheduler.Default);
        }

        return result;
    }
}
