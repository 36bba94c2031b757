using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SurgiCase.Aws;

namespace SurgiCase.Secrets.Benchmarks;

/// <summary>
/// Requests per second of a warm-cache <c>GET /secrets/surgicase/main</c> (API key, allow-list, cache, JSON) against a
/// bare minimal-API endpoint with a similar payload, on the same Kestrel loopback server, alternating per round.
/// </summary>
internal static class HttpLookupHarness
{
    private const string ApiKey = "bench-key-0123456789";

    public static async Task RunAsync(int requests, int concurrency, int rounds)
    {
        await using var app = Build();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency }) { BaseAddress = new Uri(address) };
        http.DefaultRequestHeaders.Add("X-Api-Key", ApiKey);

        // Warm: JIT, connections, and the cache (the only AWS call, answered by the stub).
        await RunRoundAsync(http, "/bare", Math.Min(2_000, requests), concurrency);
        await RunRoundAsync(http, "/secrets/surgicase/main", Math.Min(2_000, requests), concurrency);

        Console.WriteLine($"HTTP cached lookup vs bare endpoint: {requests} requests per side per round, concurrency {concurrency}, Kestrel on {address}");
        Console.WriteLine("| round | bare req/s | secrets req/s | ratio |");
        Console.WriteLine("|---:|---:|---:|---:|");
        var ratios = new List<double>();
        for (var round = 1; round <= rounds; round++)
        {
            // The side that goes first alternates, so drift on this shared machine does not favour one.
            double bare, secrets;
            if (round % 2 == 1)
            {
                bare = await RunRoundAsync(http, "/bare", requests, concurrency);
                secrets = await RunRoundAsync(http, "/secrets/surgicase/main", requests, concurrency);
            }
            else
            {
                secrets = await RunRoundAsync(http, "/secrets/surgicase/main", requests, concurrency);
                bare = await RunRoundAsync(http, "/bare", requests, concurrency);
            }

            ratios.Add(secrets / bare);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {round} | {bare:0} | {secrets:0} | {secrets / bare:0.00} |"));
        }

        ratios.Sort();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Median ratio: {ratios[ratios.Count / 2]:0.00} (goal >= 0.5)"));
        await app.StopAsync();
    }

    private static WebApplication Build()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = Environments.Production });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Aws:ServiceUrl"] = "http://127.0.0.1:9",
            ["Aws:Region"] = "us-east-1",
            ["Aws:AccessKeyId"] = "test",
            ["Aws:SecretAccessKey"] = "test",
            ["Authentication:ApiKeys:scheduler-service"] = ApiKey,
            ["Secrets:Callers:scheduler-service:AllowedSecrets:0"] = "surgicase/*",
            ["Secrets:WarmOnStartup"] = "false",
        });
        // Both endpoints pay the same logging; request logs at Information would measure the console instead.
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.AddServiceDefaults();
        builder.AddSecretsService();
        builder.Services.RemoveAll<ISecretsManagerClient>();
        builder.Services.AddSingleton<ISecretsManagerClient, StubSecretsManager>();

        var app = builder.Build();
        app.UseApiDefaults();
        app.MapDefaultEndpoints();
        app.MapSecretsEndpoints();
        app.MapGet("/bare", () => Results.Ok(new BareResponse(
                "surgicase/main", StubSecretsManager.MainValue, "v1-0123456789abcdef", "cached", 42)))
            .AllowAnonymous();
        return app;
    }

    private static async Task<double> RunRoundAsync(HttpClient http, string path, int requests, int concurrency)
    {
        var remaining = requests;
        var watch = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, concurrency).Select(async _ =>
        {
            while (Interlocked.Decrement(ref remaining) >= 0)
            {
                using var response = await http.GetAsync(path, HttpCompletionOption.ResponseContentRead);
                if (!response.IsSuccessStatusCode)
                {
                    throw new InvalidOperationException($"{path} answered {(int)response.StatusCode}");
                }
            }
        });
        await Task.WhenAll(workers);
        return requests / watch.Elapsed.TotalSeconds;
    }

    private sealed record BareResponse(string Name, string? Value, string VersionId, string Source, long AgeSeconds);
}
