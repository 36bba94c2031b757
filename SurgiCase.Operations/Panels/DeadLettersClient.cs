using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace SurgiCase.Operations.Panels;

/// <summary>
/// The job-events DLQ through NotificationService (issue 19.4), with the page's own key: listing it, and replaying on
/// behalf of the signed-in person, whom NotificationService's audit names (<c>ApiPolicies.ReplayDeadLetters</c>).
/// </summary>
internal sealed class DeadLettersClient(HttpClient http, IOptions<OperationsOptions> options, ILogger<DeadLettersClient> logger)
{
    private const string Service = "NotificationService";
    private const int Shown = 20;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private bool Configured => !string.IsNullOrEmpty(options.Value.NotificationsApiKey);

    public async Task<PanelResult<DeadLetterListing>> ListAsync(CancellationToken cancellationToken) =>
        Configured
            ? await PanelCall.GetAsync<DeadLetterListing>(http, $"/dead-letters?limit={Shown}", Service, logger, cancellationToken)
            : PanelResult<DeadLetterListing>.Failed("Not configured: set Operations:NotificationsApiKey to read the dead-letter queue.");

    /// <param name="id">The DLQ message id (the page's buttons name messages, not events).</param>
    public Task<ReplayAnswer> ReplayAsync(string id, string by, CancellationToken cancellationToken) =>
        PostAsync($"/dead-letters/{Uri.EscapeDataString(id)}/replay", by, cancellationToken);

    public Task<ReplayAnswer> ReplayAllAsync(string by, CancellationToken cancellationToken) =>
        PostAsync("/dead-letters/replay-all", by, cancellationToken);

    private async Task<ReplayAnswer> PostAsync(string path, string by, CancellationToken cancellationToken)
    {
        if (!Configured)
        {
            return new ReplayAnswer(StatusCodes.Status503ServiceUnavailable, 0, 0, "Not configured", "Set Operations:NotificationsApiKey to replay dead letters.");
        }

        try
        {
            using var response = await http.PostAsJsonAsync(path, new { by }, Json, cancellationToken);
            var status = (int)response.StatusCode;
            if (response.IsSuccessStatusCode)
            {
                var report = await response.Content.ReadFromJsonAsync<Report>(Json, cancellationToken);
                return new ReplayAnswer(StatusCodes.Status200OK, report?.Replayed.Count ?? 0, report?.SkippedPoison ?? 0, null, null);
            }

            OperationsLog.PanelRefused(logger, Service, status);
            var problem = response.Content.Headers.ContentType?.MediaType == "application/problem+json"
                ? await response.Content.ReadFromJsonAsync<Problem>(Json, cancellationToken)
                : null;
            // The service's own sentences for the answers a person can act on (gone already, poison); a generic one otherwise.
            return status is 404 or 409 or 502 && problem is not null
                ? new ReplayAnswer(status, 0, 0, problem.Title, problem.Detail)
                : new ReplayAnswer(StatusCodes.Status502BadGateway, 0, 0, "Not replayed", $"{Service} answered {status} {response.ReasonPhrase}.");
        }
        catch (Exception e) when (PanelCall.IsUnreachable(e, cancellationToken))
        {
            OperationsLog.PanelUnreachable(logger, Service, e.GetType().Name);
            return new ReplayAnswer(StatusCodes.Status502BadGateway, 0, 0, "Not replayed", $"{Service} is unreachable ({PanelCall.Reason(e)}). Try again shortly.");
        }
    }

    private sealed record Report(IReadOnlyList<JsonElement> Replayed, int SkippedPoison);

    private sealed record Problem(string? Title, string? Detail);
}
