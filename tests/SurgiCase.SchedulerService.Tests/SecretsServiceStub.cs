using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace SurgiCase.SchedulerService.Tests;

/// <summary>
/// A SecretsService-shaped endpoint on a loopback port (real Kestrel, so "down" is a refused connection): answers
/// <c>GET /secrets/{name}</c> with the service's JSON shape, 401 without the caller's key, 404 for unknown names.
/// </summary>
public sealed class SecretsServiceStub(string callerKey) : IAsyncLifetime
{
    private readonly ConcurrentDictionary<string, string> _secrets = new(StringComparer.Ordinal);
    private WebApplication? _app;
    private int _lookups;

    public Uri BaseAddress { get; private set; } = null!;

    public int Lookups => Volatile.Read(ref _lookups);

    /// <summary>Stores a JSON secret, as the AppHost provisions <c>surgicase/api</c> = <c>{"api_key": "..."}</c>.</summary>
    public void SetSecret(string name, object fields) => _secrets[name] = JsonSerializer.Serialize(fields);

    public async Task InitializeAsync()
    {
        (_app, BaseAddress) = await LoopbackKestrel.StartAsync(
            builder => builder.Services.AddProblemDetails(),
            app => app.MapGet("/secrets/{**name}", (string name, HttpContext context) =>
            {
                Interlocked.Increment(ref _lookups);
                if (context.Request.Headers["X-Api-Key"] != callerKey)
                {
                    return Results.Problem(title: "API key required", statusCode: StatusCodes.Status401Unauthorized);
                }

                return _secrets.TryGetValue(name, out var value)
                    ? Results.Ok(new { name, value, versionId = "v1", source = "fresh", ageSeconds = 0 })
                    : Results.Problem(title: "Secret not found", statusCode: StatusCodes.Status404NotFound);
            }));
    }

    /// <summary>Stops listening: from now on connections to <see cref="BaseAddress"/> are refused.</summary>
    public async Task StopAsync()
    {
        await LoopbackKestrel.StopAsync(_app);
        _app = null;
    }

    public Task DisposeAsync() => StopAsync();
}
