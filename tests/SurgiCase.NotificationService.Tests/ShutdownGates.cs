using SurgiCase.NotificationService.Recipients;

namespace SurgiCase.NotificationService.Tests;

/// <summary>
/// In front of the real SES client: lets the first sends through, then lets send number
/// <c>holdAt</c> reach SES (moto accepts and records the email) but holds SES's answer until the test
/// releases it or the caller gives up. That is a send "in flight" when shutdown comes: the email is out,
/// the sender does not know yet.
/// </summary>
internal sealed class HeldSesAnswer(int holdAt) : DelegatingHandler
{
    private readonly TaskCompletionSource _held = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _sends;

    /// <summary>Completes once SES has accepted the held send and its answer is being withheld.</summary>
    public Task Held => _held.Task;

    public void Release() => _release.TrySetResult();

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        if (Interlocked.Increment(ref _sends) == holdAt)
        {
            _held.TrySetResult();

            // Answer when released, or when the caller cancels: whatever the caller does then, the email is sent.
            await Task.WhenAny(_release.Task, Task.Delay(Timeout.Infinite, cancellationToken));
        }

        return response;
    }
}

/// <summary>
/// Recipients for the first <c>passing</c> deliveries; every later delivery waits here (after claiming its
/// event, before rendering and sending) until it is cancelled — a message received but not yet handled.
/// </summary>
internal sealed class RecipientsThatStall(int passing) : IRecipientSource
{
    private readonly FakeRecipientSource _inner = new();
    private int _reads;
    private int _waiting;

    public int Waiting => Volatile.Read(ref _waiting);

    public async Task<RecipientSettings> ReadAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Increment(ref _reads) > passing)
        {
            Interlocked.Increment(ref _waiting);
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }

        return await _inner.ReadAsync(cancellationToken);
    }
}
