using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Hosting;
using SurgiCase.Messaging.Contracts;

namespace SurgiCase.SecretsService.Endpoints;

internal static class SecretsEndpoints
{
    public static IEndpointRouteBuilder MapSecretsEndpoints(this IEndpointRouteBuilder app)
    {
        // Every endpoint needs a known caller; reading a value also needs the caller's allow-list (the operations
        // page's read-only caller has none). /cache shows no values: the operator and the page may read it; warming
        // makes an AWS call per secret, so only the operator may start one.
        var group = app.MapGroup("").RequireAuthorization();
        group.MapGet("/secrets/{**name}", GetSecretAsync).WithName("GetSecret");
        group.MapPost("/secrets/warm", WarmAsync).WithName("WarmSecrets").RequireAuthorization(ApiPolicies.Operator);
        group.MapGet("/cache", GetCache).WithName("GetCache").RequireAuthorization(ApiPolicies.ReadOnly);
        return app;
    }

    private static async Task<Results<Ok<SecretResponse>, ProblemHttpResult>> GetSecretAsync(
        string name,
        bool? allowStale,
        int? maxStalenessSeconds,
        ClaimsPrincipal user,
        SecretAccessPolicy policy,
        SecretCache cache,
        CancellationToken cancellationToken)
    {
        if (!policy.IsAllowed(user.Identity?.Name, name))
        {
            return SecretProblems.NotAllowed(user.Identity?.Name, name);
        }

        if (maxStalenessSeconds is < 0)
        {
            return TypedResults.Problem(title: "Invalid maxStalenessSeconds", detail: "maxStalenessSeconds must be 0 or more.", statusCode: StatusCodes.Status400BadRequest);
        }

        var maxStaleness = maxStalenessSeconds is { } s ? TimeSpan.FromSeconds(s) : (TimeSpan?)null;
        // The span lives here, not in SecretCache: a cache hit stays allocation-free even with tracing on, and every
        // lookup comes through this endpoint (warming refreshes, it does not look up).
        using var activity = SecretsTelemetry.StartLookup(name);
        var result = await cache.GetAsync(name, allowStale ?? true, maxStaleness, cancellationToken);
        SecretsTelemetry.Tag(activity, result);
        if (result.Secret is not { } secret)
        {
            return SecretProblems.For(name, result.Error!, result.HadCachedValue);
        }

        return TypedResults.Ok(new SecretResponse(secret.Name, secret.Value, secret.VersionId, SourceNames.For(result.Source), result.AgeSeconds));
    }

    private static async Task<Ok<WarmingReport>> WarmAsync(SecretsWarmer warmer, CancellationToken cancellationToken) =>
        TypedResults.Ok(await warmer.WarmAsync(Triggers.Manual, cancellationToken));

    private static Ok<CacheResponse> GetCache(SecretCache cache, AwsCircuitBreaker breaker, TimeProvider time)
    {
        var now = time.GetUtcNow();
        var entries = cache.Slots
            .OrderBy(s => s.Name, StringComparer.Ordinal)
            .Select(s =>
            {
                var current = s.Current;
                return new CacheEntryResponse(
                    s.Name,
                    current is null ? null : Math.Max(0, (long)(now - current.FetchedAt).TotalSeconds),
                    s.LastOutcome,
                    s.LastErrorCode,
                    s.ServingStale || (current is not null && now >= current.ExpiresAt),
                    current?.VersionId,
                    s.LastAttemptAt);
            })
            .ToList();
        return TypedResults.Ok(new CacheResponse(breaker.State.ToString(), entries));
    }
}
