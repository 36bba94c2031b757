using System.Net;
using Microsoft.Extensions.Options;

namespace SurgiCase.Operations.Panels;

/// <summary>The recent alerts and their rendered previews, read from NotificationService server-side with the page's own key.</summary>
internal sealed class NotificationsClient(HttpClient http, IOptions<OperationsOptions> options, ILogger<NotificationsClient> logger)
{
    private const string Service = "NotificationService";
    private const string NotConfigured = "Not configured: set Operations:NotificationsApiKey to read the alerts.";

    private bool Configured => !string.IsNullOrEmpty(options.Value.NotificationsApiKey);

    public async Task<PanelResult<IReadOnlyList<AlertSummary>>> RecentAsync(CancellationToken cancellationToken) =>
        Configured
            ? await PanelCall.GetAsync<IReadOnlyList<AlertSummary>>(
                http, $"/notifications?limit={options.Value.RecentAlerts}", Service, logger, cancellationToken)
            : PanelResult<IReadOnlyList<AlertSummary>>.Failed(NotConfigured);

    public async Task<PanelResult<AlertSummary>> GetAsync(long id, CancellationToken cancellationToken) =>
        Configured
            ? await PanelCall.GetAsync<AlertSummary>(http, $"/notifications/{id}", Service, logger, cancellationToken)
            : PanelResult<AlertSummary>.Failed(NotConfigured);

    public async Task<AlertPreview> PreviewAsync(long id, CancellationToken cancellationToken)
    {
        if (!Configured)
        {
            return new AlertPreview(null, StatusCodes.Status503ServiceUnavailable, "Not configured: set Operations:NotificationsApiKey.");
        }

        try
        {
            using var response = await http.GetAsync($"/notifications/{id}/preview", cancellationToken);
            return response.IsSuccessStatusCode
                ? new AlertPreview(await response.Content.ReadAsStringAsync(cancellationToken), StatusCodes.Status200OK, null)
                : new AlertPreview(null, response.StatusCode == HttpStatusCode.NotFound ? StatusCodes.Status404NotFound : StatusCodes.Status502BadGateway,
                    $"{Service} answered {(int)response.StatusCode} {response.ReasonPhrase}.");
        }
        catch (Exception e) when (PanelCall.IsUnreachable(e, cancellationToken))
        {
            OperationsLog.PanelUnreachable(logger, Service, e.GetType().Name);
            return new AlertPreview(null, StatusCodes.Status502BadGateway, $"{Service} is unreachable ({PanelCall.Reason(e)}).");
        }
    }
}
