using System.Net;
using Microsoft.Extensions.Options;

namespace SurgiCase.Operations.Panels;

/// <summary>
/// The recent alerts and their rendered previews, read from NotificationService server-side with the page's own key,
/// and acknowledgements and test alerts made through it for the signed-in person (the page's caller may,
/// <c>ApiPolicies.Acknowledge</c> and <c>ApiPolicies.SendTestAlert</c>).
/// </summary>
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

    /// <summary>What an emailed acknowledge link points at; acknowledges nothing.</summary>
    public Task<AcknowledgeAnswer> LookUpLinkAsync(string token, CancellationToken cancellationToken) =>
        Configured
            ? AcknowledgeCall.PostAsync(http, "/notifications/acknowledgements/lookup", new { token }, logger, cancellationToken)
            : Task.FromResult(NotConfiguredAnswer("acknowledge alerts"));

    /// <summary>Acknowledges the alert an emailed link names, for whoever clicked it (the token travels in the body).</summary>
    /// <param name="by">The person signed in to the page who opened the link, recorded instead of "a recipient"; or null.</param>
    public Task<AcknowledgeAnswer> AcknowledgeLinkAsync(string token, string? by, CancellationToken cancellationToken) =>
        Configured
            ? AcknowledgeCall.PostAsync(http, "/notifications/acknowledgements", new { token, by }, logger, cancellationToken)
            : Task.FromResult(NotConfiguredAnswer("acknowledge alerts"));

    /// <summary>The page's button: acknowledges alert <paramref name="id"/> in the name of the signed-in person.</summary>
    public Task<AcknowledgeAnswer> AcknowledgeAsync(long id, string by, CancellationToken cancellationToken) =>
        Configured
            ? AcknowledgeCall.PostAsync(http, $"/notifications/{id}/acknowledge", new { by }, logger, cancellationToken)
            : Task.FromResult(NotConfiguredAnswer("acknowledge alerts"));

    /// <summary>The page's "Send test alert" button: a real alert through the whole pipeline, sent in <paramref name="by"/>'s name.</summary>
    public Task<AcknowledgeAnswer> SendTestAlertAsync(string by, CancellationToken cancellationToken) =>
        Configured
            ? AcknowledgeCall.PostAsync(http, "/notifications/test", new { by }, logger, cancellationToken, failed: "Test alert not sent")
            : Task.FromResult(NotConfiguredAnswer("send a test alert"));

    /// <param name="action">What the missing key prevents, as the sentence's end ("acknowledge alerts").</param>
    private static AcknowledgeAnswer NotConfiguredAnswer(string action) =>
        new(StatusCodes.Status503ServiceUnavailable, null, "Not configured", $"Set Operations:NotificationsApiKey to {action}.");

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
