using SurgiCase.NotificationService.Rendering;

namespace SurgiCase.NotificationService.Delivery;

/// <summary>
/// The second way an alert reaches a person when email cannot: a Slack incoming webhook or any JSON
/// webhook. Throws when the alert was not accepted.
/// </summary>
internal interface IFallbackChannel
{
    /// <summary>False when no webhook is configured; the dispatcher then skips it and says so.</summary>
    bool IsConfigured { get; }

    Task SendAsync(AlertContent alert, string reason, CancellationToken cancellationToken);
}
