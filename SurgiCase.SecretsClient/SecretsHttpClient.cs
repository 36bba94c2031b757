using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace SurgiCase.SecretsClient;

/// <summary>
/// The typed HttpClient behind <see cref="ISecretsClient"/>. Unreachable service, timeouts and 5xx fall back to the last
/// value this process received (<c>client-cached</c>); 4xx answers (no key, not allowed, not found) are not masked.
/// </summary>
internal sealed class SecretsHttpClient(
    HttpClient http,
    LastKnownGoodSecrets lastKnownGood,
    TimeProvider time,
    ILogger<SecretsHttpClient> logger) : ISecretsClient
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<SecretLookup> GetSecretAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        HttpResponseMessage response;
        try
        {
            response = await http.GetAsync(PathFor(name), cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            return FallBack(name, null, "unreachable", e);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            return FallBack(name, null, "timeout", e);
        }

        using (response)
        {
            if (response.IsSuccessStatusCode)
            {
                var lookup = await response.Content.ReadFromJsonAsync<SecretLookup>(Json, cancellationToken).ConfigureAwait(false)
                    ?? throw new SecretsClientException(name, response.StatusCode, null, $"The SecretsService sent an empty answer for {name}.");
                lastKnownGood.Remember(lookup, time.GetUtcNow());
                return lookup;
            }

            var title = await ReadProblemTitleAsync(response, cancellationToken).ConfigureAwait(false);
            if ((int)response.StatusCode >= 500)
            {
                return FallBack(name, response.StatusCode, $"{(int)response.StatusCode} {title}", null, title);
            }

            SecretsClientLog.LookupRefused(logger, response.StatusCode, name, title);
            throw new SecretsClientException(name, response.StatusCode, title, $"The SecretsService answered {(int)response.StatusCode} ({title}) for {name}.");
        }
    }

    public async Task<string?> GetSecretFieldAsync(string name, string field, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(field);
        var lookup = await GetSecretAsync(name, cancellationToken).ConfigureAwait(false);
        if (string.IsNullOrEmpty(lookup.Value))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(lookup.Value);
            if (document.RootElement.ValueKind != JsonValueKind.Object || !document.RootElement.TryGetProperty(field, out var property))
            {
                return null;
            }

            return property.ValueKind switch
            {
                JsonValueKind.String => property.GetString(),
                JsonValueKind.Null => null,
                _ => property.GetRawText(),
            };
        }
        catch (JsonException)
        {
            // Not JSON: the secret is a plain string and has no fields. The parser's message is not kept (it may quote the value).
            return null;
        }
    }

    private SecretLookup FallBack(string name, HttpStatusCode? status, string reason, Exception? error, string? title = null)
    {
        if (lastKnownGood.TryGet(name, out var last, out var receivedAt))
        {
            var age = last.AgeSeconds + Math.Max(0, (long)(time.GetUtcNow() - receivedAt).TotalSeconds);
            SecretsClientLog.ServingClientCached(logger, reason, name, age);
            return last with { Source = SecretLookup.ClientCachedSource, AgeSeconds = age };
        }

        throw new SecretsClientException(
            name, status, title, $"The SecretsService could not serve {name} ({reason}) and this process has no earlier copy.", error);
    }

    private static async Task<string?> ReadProblemTitleAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            var problem = await response.Content.ReadFromJsonAsync<ProblemBody>(Json, cancellationToken).ConfigureAwait(false);
            return problem?.Title ?? response.ReasonPhrase;
        }
        catch (Exception e) when (e is JsonException or NotSupportedException)
        {
            return response.ReasonPhrase;
        }
    }

    // Secret names contain '/', which the service's catch-all route takes as is; each segment is escaped on its own.
    private static string PathFor(string name) =>
        "secrets/" + string.Join('/', name.Split('/').Select(Uri.EscapeDataString));

    private sealed record ProblemBody(string? Title, int? Status, string? Detail);
}
