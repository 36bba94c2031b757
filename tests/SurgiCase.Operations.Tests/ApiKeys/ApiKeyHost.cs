using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace SurgiCase.Operations.Tests.ApiKeys;

/// <summary>A real Kestrel host with only <c>AddApiDefaults</c>: an endpoint that says who the caller is, and one per policy.</summary>
internal sealed class ApiKeyHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ApiKeyHost(WebApplication app) => _app = app;

    public static async Task<ApiKeyHost> StartAsync(IConfiguration configuration)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Configuration.AddConfiguration(configuration);
        builder.AddApiDefaults();
        var app = builder.Build();
        app.UseApiDefaults();
        app.MapGet("/who", (ClaimsPrincipal user) => user.Identity!.Name).RequireAuthorization();
        app.MapGet("/read", () => "read").RequireAuthorization(ApiPolicies.ReadOnly);
        app.MapPost("/acknowledge", () => "acknowledged").RequireAuthorization(ApiPolicies.Acknowledge);
        app.MapPost("/operate", () => "operated").RequireAuthorization(ApiPolicies.Operator);
        await app.StartAsync();
        return new ApiKeyHost(app);
    }

    public HttpClient Client(string? key)
    {
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var client = new HttpClient { BaseAddress = new Uri(address) };
        if (key is not null)
        {
            client.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.HeaderName, key);
        }

        return client;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
