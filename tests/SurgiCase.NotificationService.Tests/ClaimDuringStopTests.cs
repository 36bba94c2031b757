using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using SurgiCase.NotificationService.Storage;
using SurgiCase.Testing;

namespace SurgiCase.NotificationService.Tests;

/// <summary>
/// The host stops while an event's claim is being written: the claim must be given back, or the redelivered message
/// (to this replica after a restart, or to another) waits a whole claim lease (90 s) before anyone emails the alert.
/// </summary>
[Collection(MotoCollection.Name)]
public sealed class ClaimDuringStopTests(MotoServer moto) : IAsyncLifetime
{
    public Task InitializeAsync() => MotoCollection.ResetAndVerifySenderAsync(moto);

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_claim_written_as_the_host_stops_is_given_back_and_the_redelivery_sends_at_once()
    {
        using var stop = new CancellationTokenSource();
        await using var harness = DeliveryHarness.Create(moto, configure: services =>
            services.AddSingleton(sp => StopDuringClaim.Wrap(ActivatorUtilities.CreateInstance<SqlDeliveryLog>(sp), stop)));
        var failed = TestEvents.Failed();

        try
        {
            await harness.HandleAsync(failed, receiveCount: 1, stop.Token);
        }
        catch (OperationCanceledException)
        {
            // the stop reached the delivery after the claim: what matters is what it left behind
        }

        // The redelivered message: claimed again and emailed now, not after the first claim's lease.
        await harness.HandleAsync(failed, receiveCount: 2).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Single(await moto.GetSentEmailsAsync(), e => e.Body.Contains(failed.RunId, StringComparison.Ordinal));
    }

    /// <summary>The real delivery log, but the host's stop arrives while the first claim is written, and a cancellable
    /// caller notices it only once the write is done (as an awaited continuation does).</summary>
    internal class StopDuringClaim : DispatchProxy
    {
        private IDeliveryLog _inner = null!;
        private CancellationTokenSource _stop = null!;

        public static IDeliveryLog Wrap(IDeliveryLog inner, CancellationTokenSource stop)
        {
            var proxy = Create<IDeliveryLog, StopDuringClaim>();
            var self = (StopDuringClaim)(object)proxy;
            (self._inner, self._stop) = (inner, stop);
            return proxy;
        }

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args) =>
            targetMethod!.Name == nameof(IDeliveryLog.TryClaimAsync) && !_stop.IsCancellationRequested
                ? ClaimThenStopAsync((ClaimRequest)args![0]!, (CancellationToken)args[1]!)
                : targetMethod.Invoke(_inner, args);

        private async Task<ClaimResult> ClaimThenStopAsync(ClaimRequest request, CancellationToken cancellationToken)
        {
            var claim = await _inner.TryClaimAsync(request, cancellationToken);
            await _stop.CancelAsync();
            cancellationToken.ThrowIfCancellationRequested();
            return claim;
        }
    }
}
