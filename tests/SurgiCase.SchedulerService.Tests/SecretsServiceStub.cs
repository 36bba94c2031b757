using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

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
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddProblemDetails();
        _app = builder.Build();
        _app.MapGet("/secrets/{**name}", (string name, HttpContext context) =>
        {
            Interlocked.Increment(ref _lookups);
            if (context.Request.Headers["X-Api-Key"] != callerKey)
            {
                return Results.Problem(title: "API key required", statusCode: StatusCodes.Status401Unauthorized);
            }

            return _secrets.TryGetValue(name, out var value)
                ? Results.Ok(new { name, value, versionId = "v1", source = "fresh", ageSeconds = 0 })
                : Results.Problem(title: "Secret not found", statusCode: StatusCodes.Status404NotFound);
        });
        await _app.StartAsync();
        BaseAddress = new Uri(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
    }

    /// <summary>Stops listening: from now on connections to <see cref="BaseAddress"/> are refused.</summary>
    public async Task StopAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
            _app = null;
        }
    }

    public Task DisposeAsync() => StopAsync();
}
