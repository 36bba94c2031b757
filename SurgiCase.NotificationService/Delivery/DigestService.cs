using Microsoft.Extensions.Options;

namespace SurgiCase.NotificationService.Delivery;

/// <summary>
/// Looks for closed storm windows every <c>Notifications:DigestCheckInterval</c> on the injected clock and has their
/// digests sent. Runs on every replica; the delivery log's claim lets one of them send each digest.
/// </summary>
internal sealed class DigestService(DigestSender sender, IOptions<NotificationOptions> options, TimeProvider time, ILogger<DigestService> logger)
    : PeriodicCheckService("Sending alert digests", options.Value.DigestCheckInterval, time, logger)
{
    protected override Task CheckAsync(CancellationToken cancellationToken) => sender.SendDueAsync(cancellationToken);
}
