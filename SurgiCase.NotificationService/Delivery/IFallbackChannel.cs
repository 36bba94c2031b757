using SurgiCase.NotificationService.Rendering;

namespace SurgiCase.NotificationService.Delivery;

/// <summary>
/// The second way an alert reaches a person: a Slack incoming webhook or any JSON webhook, when email cannot
/// deliver, and for the chosen severities beside the email. Throws when the alert was not accepted.
/// </summary>
internal interface IFallbackChannel
{
    /// <summary>False when no webhook is configured; the dispatcher then skips it and says so.</summary>
    bool IsConfigured { get; }

    /// <param name="emailFailure">Why email failed when this is the fallback; null when posted beside the email.</param>
    Task SendAsync(AlertContent alert, string? emailFailure, CancellationToken cancellationToken);
}
