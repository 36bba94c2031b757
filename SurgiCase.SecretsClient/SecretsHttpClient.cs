using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;

namespace SurgiCase.SecretsClient;

/// <summary>
/// The typed HttpClient behind <see cref="ISecretsClient"/>. Unreachable service, timeouts and 5xx fall back to the last
/// value this process received (<c>client-cached</c>); 4xx answers (no key, not allowed, not found) are not masked.
/// One lookup, its single connection retry included, ends within <see cref="SecretsClientOptions.Timeout"/>.
/// </summary>
internal sealed class SecretsHttpClient(
    HttpClient http,
    LastKnownGoodSecrets lastKnownGood,
    TimeProvider time,
    IOptions<SecretsClientOptions> options,
    ILogger<SecretsHttpClient> logger) : ISecretsClient
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private static readonly ResiliencePropertyKey<string> SecretName = new("surgicase.secret-name");
    private readonly SecretsClientOptions _options = options.Value;
    private ResiliencePipeline<HttpResponseMessage>? _connectRetry;

    public async Task<SecretLookup> GetSecretAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        // A real-time deadline on purpose: it guards a socket, and the injected clock only dates the copies.
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_options.Timeout);
        HttpResponseMessage response;
        try
        {
            response = await SendAsync(name, deadline.Token).ConfigureAwait(false);
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

    private async Task<HttpResponseMessage> SendAsync(string name, CancellationToken deadline)
    {
        var context = ResilienceContextPool.Shared.Get(deadline);
        try
        {
            context.Properties.Set(SecretName, name);
            _connectRetry ??= ConnectRetryPipeline(_options.ConnectRetries);
            return await _connectRetry.ExecuteAsync(
                static (context, state) => new ValueTask<HttpResponseMessage>(state.http.GetAsync(state.path, context.CancellationToken)),
                context,
                (http, path: PathFor(name))).ConfigureAwait(false);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    /// <summary>
    /// A failed connection is retried at once, <paramref name="retries"/> times: a new connection fixes a dead pooled one
    /// or finds another replica; a longer outage is what the last-known-good copy is for, so waiting would only delay it.
    /// Only a connection that failed is retried: the request never reached the service, so it cannot have acted on it.
    /// </summary>
    private ResiliencePipeline<HttpResponseMessage> ConnectRetryPipeline(int retries) =>
        retries == 0
            ? ResiliencePipeline<HttpResponseMessage>.Empty
            : new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = time }
                .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
                {
                    MaxRetryAttempts = retries,
                    Delay = TimeSpan.Zero,
                    ShouldHandle = new PredicateBuilder<HttpResponseMessage>()
                        .Handle<HttpRequestException>(e => e.HttpRequestError == HttpRequestError.ConnectionError),
                    OnRetry = args =>
                    {
                        SecretsClientLog.RetryingConnection(logger, args.Context.Properties.GetValue(SecretName, "?"));
                        return default;
                    },
                })
                .Build();

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
