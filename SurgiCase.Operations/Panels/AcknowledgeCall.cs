using System.Net.Http.Json;
using System.Text.Json;

namespace SurgiCase.Operations.Panels;

/// <summary>
/// One POST to NotificationService that answers with an alert (an acknowledgement, a link lookup, a test alert), its
/// answer turned into an <see cref="AcknowledgeAnswer"/>.
/// </summary>
internal static class AcknowledgeCall
{
    private const string Service = "NotificationService";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <param name="failed">The title for an answer the service gave no sentence for.</param>
    public static async Task<AcknowledgeAnswer> PostAsync(
        HttpClient http, string path, object body, ILogger logger, CancellationToken cancellationToken, string failed = "Not acknowledged")
    {
        try
        {
            using var response = await http.PostAsJsonAsync(path, body, Json, cancellationToken);
            var status = (int)response.StatusCode;
            if (response.IsSuccessStatusCode)
            {
                return new AcknowledgeAnswer(status, await response.Content.ReadFromJsonAsync<AlertSummary>(Json, cancellationToken), null, null);
            }

            OperationsLog.PanelRefused(logger, Service, status);
            var problem = response.Content.Headers.ContentType?.MediaType == "application/problem+json"
                ? await response.Content.ReadFromJsonAsync<Problem>(Json, cancellationToken)
                : null;
            // The service's own sentences for the answers a person can act on; a generic one for the rest.
            return status is 400 or 404 or 409 or 410 or 502 && problem is not null
                ? new AcknowledgeAnswer(status, null, problem.Title, problem.Detail)
                : new AcknowledgeAnswer(StatusCodes.Status502BadGateway, null, failed, $"{Service} answered {status} {response.ReasonPhrase}.");
        }
        catch (Exception e) when (PanelCall.IsUnreachable(e, cancellationToken))
        {
            OperationsLog.PanelUnreachable(logger, Service, e.GetType().Name);
            return new AcknowledgeAnswer(StatusCodes.Status502BadGateway, null, failed, $"{Service} is unreachable ({PanelCall.Reason(e)}). Try again shortly.");
        }
    }

    private sealed record Problem(string? Title, string? Detail);
}
