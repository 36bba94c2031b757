using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace SurgiCase.SchedulerService.OperationsPage;

/// <summary>What a side panel got: its data, or a sentence saying why not (the page renders either way).</summary>
internal sealed record PanelResult<T>(T? Value, string? Problem) where T : class
{
    public static PanelResult<T> Ok(T value) => new(value, null);

    public static PanelResult<T> Failed(string problem) => new(null, problem);
}

/// <summary>An alert as NotificationService lists it (the fields the page shows).</summary>
internal sealed record AlertSummary(
    long Id, string MessageType, string JobId, string JobName, string? ErrorKind, string? Subject, string Status,
    string? Channel, IReadOnlyList<string>? Recipients, DateTimeOffset CreatedAt, DateTimeOffset? SentAt, string? LastError);

internal sealed record SecretsCacheEntry(
    string Name, long? AgeSeconds, string LastOutcome, string? LastErrorCode, bool Stale, string? VersionId, DateTimeOffset? LastAttemptAt);

internal sealed record SecretsCacheHealth(string CircuitBreaker, IReadOnlyList<SecretsCacheEntry> Entries);

/// <summary>The recent alerts and their rendered previews, read server-side with the page's own key.</summary>
internal sealed class NotificationsPanel(HttpClient http, IOptions<OperationsOptions> options, ILogger<NotificationsPanel> logger)
{
    public const string HttpClientName = "operations-notifications";
    private const string Service = "NotificationService";

    public async Task<PanelResult<IReadOnlyList<AlertSummary>>> RecentAsync(CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(options.Value.NotificationsApiKey))
        {
            return PanelResult<IReadOnlyList<AlertSummary>>.Failed("Not configured: set Operations:NotificationsApiKey to read the alerts.");
        }

        return await PanelCall.GetAsync<IReadOnlyList<AlertSummary>>(
            http, $"/notifications?limit={options.Value.RecentAlerts}", Service, logger, cancellationToken);
    }

    public async Task<PanelResult<AlertSummary>> GetAsync(long id, CancellationToken cancellationToken) =>
        string.IsNullOrEmpty(options.Value.NotificationsApiKey)
            ? PanelResult<AlertSummary>.Failed("Not configured: set Operations:NotificationsApiKey to read the alerts.")
            : await PanelCall.GetAsync<AlertSummary>(http, $"/notifications/{id}", Service, logger, cancellationToken);

    /// <summary>The alert's HTML exactly as emailed, or null with the reason.</summary>
    public async Task<(string? Html, HttpStatusCode Status, string? Problem)> PreviewAsync(long id, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(options.Value.NotificationsApiKey))
        {
            return (null, HttpStatusCode.ServiceUnavailable, "Not configured: set Operations:NotificationsApiKey.");
        }

        try
        {
            using var response = await http.GetAsync($"/notifications/{id}/preview", cancellationToken);
            return response.IsSuccessStatusCode
                ? (await response.Content.ReadAsStringAsync(cancellationToken), HttpStatusCode.OK, null)
                : (null, response.StatusCode == HttpStatusCode.NotFound ? HttpStatusCode.NotFound : HttpStatusCode.BadGateway,
                    $"{Service} answered {(int)response.StatusCode} {response.ReasonPhrase}.");
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            OperationsLog.PanelUnreachable(logger, Service, e.GetType().Name);
            return (null, HttpStatusCode.BadGateway, $"{Service} is unreachable ({PanelCall.Reason(e)}).");
        }
    }
}

/// <summary>The SecretsService cache without values: staleness per secret and the AWS circuit breaker.</summary>
internal sealed class SecretsPanel(HttpClient http, ILogger<SecretsPanel> logger)
{
    public const string HttpClientName = "operations-secrets";

    public Task<PanelResult<SecretsCacheHealth>> CacheAsync(CancellationToken cancellationToken) =>
        PanelCall.GetAsync<SecretsCacheHealth>(http, "/cache", "SecretsService", logger, cancellationToken);
}

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
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException && !cancellationToken.IsCancellationRequested)
        {
            OperationsLog.PanelUnreachable(logger, service, e.GetType().Name);
            return PanelResult<T>.Failed($"{service} is unreachable ({Reason(e)}).");
        }
    }

    public static string Reason(Exception e) => e switch
    {
        TaskCanceledException => "no answer in time",
        HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError } => "connection refused",
        HttpRequestException { HttpRequestError: HttpRequestError.NameResolutionError } => "name not resolved",
        JsonException => "unexpected answer",
        _ => "request failed",
    };
}
