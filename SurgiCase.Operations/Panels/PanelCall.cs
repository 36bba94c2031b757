using System.Net.Http.Json;
using System.Text.Json;

namespace SurgiCase.Operations.Panels;

/// <summary>One GET to a side panel's service, turned into data or a sentence an operator can act on.</summary>
internal static class PanelCall
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async Task<PanelResult<T>> GetAsync<T>(HttpClient http, string path, string service, ILogger logger, CancellationToken cancellationToken)
        where T : class
    {
        try
        {
            using var response = await http.GetAsync(path, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                OperationsLog.PanelRefused(logger, service, (int)response.StatusCode);
                return PanelResult<T>.Failed($"{service} answered {(int)response.StatusCode} {response.ReasonPhrase}.");
            }

            return await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken) is { } value
                ? PanelResult<T>.Ok(value)
                : PanelResult<T>.Failed($"{service} answered with an empty body.");
        }
        catch (Exception e) when (IsUnreachable(e, cancellationToken))
        {
            OperationsLog.PanelUnreachable(logger, service, e.GetType().Name);
            return PanelResult<T>.Failed($"{service} is unreachable ({Reason(e)}).");
        }
    }

    /// <summary>A failure of the other service (or of the way to it), not a cancellation of this request.</summary>
    public static bool IsUnreachable(Exception e, CancellationToken cancellationToken) =>
        e is HttpRequestException or TaskCanceledException or JsonException && !cancellationToken.IsCancellationRequested;

    public static string Reason(Exception e) => e switch
    {
        TaskCanceledException => "no answer in time",
        HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError } => "connection refused",
        HttpRequestException { HttpRequestError: HttpRequestError.NameResolutionError } => "name not resolved",
        JsonException => "unexpected answer",
        _ => "request failed",
    };
}
