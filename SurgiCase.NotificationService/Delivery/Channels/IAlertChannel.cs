using SurgiCase.NotificationService.Rendering;

namespace SurgiCase.NotificationService.Delivery;

/// <summary>What a channel does for an alert of a given severity. A channel may play several roles at once.</summary>
[Flags]
internal enum ChannelRoles
{
    /// <summary>Not used (for example: not configured).</summary>
    None = 0,

    /// <summary>Tried first, in registration order; the first that delivers makes the alert <c>sent</c>.</summary>
    Primary = 1,

    /// <summary>Tried, in registration order, only when every primary channel failed; the alert is then <c>fallback-sent</c>.</summary>
    Fallback = 2,

    /// <summary>Posted beside a delivered primary, under its own delivery-log row (<c>{event id}:{channel name}</c>).</summary>
    Parallel = 4,
}

/// <summary>
/// One way an alert reaches a person (email, a Slack or JSON webhook, the next one). A new channel is one class that
/// implements this and one <c>AddAlertChannel</c> registration; the delivery pipeline decides when it is used from
/// <see cref="RolesFor"/> and records every outcome, so a channel only sends.
/// </summary>
internal interface IAlertChannel
{
    /// <summary>The delivery log's <c>channel</c> value and the telemetry's channel tag (<c>email</c>, <c>webhook</c>).</summary>
    string Name { get; }

    /// <summary>The channel's roles for an alert of this severity (<c>critical</c>, <c>warning</c>, <c>resolved</c>), from its own options.</summary>
    ChannelRoles RolesFor(string severity);

    /// <summary>Why this message cannot go out on this channel at all (nothing is attempted), or null to send it.</summary>
    string? Refusal(ChannelMessage message) => null;

    /// <summary>The text the delivery log keeps for this channel's own row (a post beside the primary).</summary>
    string RecordedText(ChannelMessage message) => message.Email.Text;

    /// <summary>
    /// Sends the alert. A failure the channel knows (the provider refused, timed out) is returned as
    /// <see cref="ChannelOutcome.Failed"/> with a reason safe to store and show (no URL, no address).
    /// </summary>
    Task<ChannelOutcome> SendAsync(ChannelMessage message, CancellationToken cancellationToken);
}

/// <summary>An alert ready for a channel: what it says, its rendered email, and to whom.</summary>
/// <param name="Reference">Names the alert in log lines: the event id, or the reminder of an alert.</param>
/// <param name="RecipientsNote">Why the recipients are a fallback list, or why there are none.</param>
/// <param name="EarlierFailure">Why the primary channels failed, when this channel is the fallback.</param>
internal sealed record ChannelMessage(
    string Reference, AlertContent Content, RenderedEmail Email, IReadOnlyList<string> Recipients, string? RecipientsNote = null, string? EarlierFailure = null);

/// <summary>What a channel's send came to: the provider's message id when delivered, else why not.</summary>
internal sealed record ChannelOutcome(string? MessageId, string? Error)
{
    public bool Delivered => Error is null;

    public static ChannelOutcome Sent(string? messageId) => new(messageId, null);

    public static ChannelOutcome Failed(string error) => new(null, error);
}
