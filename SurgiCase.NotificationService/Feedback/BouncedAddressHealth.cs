using Microsoft.Extensions.Diagnostics.HealthChecks;
using SurgiCase.NotificationService.Storage;

namespace SurgiCase.NotificationService.Feedback;

/// <summary>
/// Degraded while an address bounced permanently and nobody has dealt with it: alerts to it reach no one. Clears when a
/// later email to the address is delivered (it was fixed at the receiving end) or an operator clears the flag
/// (<c>DELETE /notifications/bounced-recipients/{address}</c>, after changing the address in the recipients secret).
/// </summary>
internal sealed class BouncedAddressHealth(DeliveryFeedbackLog log) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var flagged = await log.FindFlaggedAsync(cancellationToken);
        if (flagged.Count == 0)
        {
            return HealthCheckResult.Healthy("No recipient address bounces.");
        }

        var data = flagged.ToDictionary(f => f.Address, f => (object)$"bounced {f.BouncedAt:O}: {f.Detail}");
        return new HealthCheckResult(
            context.Registration.FailureStatus,
            $"{flagged.Count} recipient address(es) bounced permanently: {string.Join(", ", flagged.Select(f => f.Address))}. "
            + "Fix them in the recipients secret, then clear the flag: DELETE /notifications/bounced-recipients/{address}.",
            data: data);
    }
}
