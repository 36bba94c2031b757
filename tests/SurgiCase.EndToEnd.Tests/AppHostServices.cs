using Aspire.Hosting;

namespace SurgiCase.EndToEnd.Tests;

/// <summary>
/// What every test of the real AppHost does the same way: wait for the services, and call one with its operator key.
/// Compiled into the chaos tests too (linked file), so both start and call the AppHost alike.
/// </summary>
internal static class AppHostServices
{
    private static readonly string[] Resources = ["local-aws", "secrets-service", "api-simulator", "notification-service", "scheduler-service"];

    /// <summary>Waits until every resource is healthy; returns moto's own URL (not the fault proxy's).</summary>
    public static async Task<Uri> WaitUntilHealthyAsync(DistributedApplication app, CancellationToken cancellationToken)
    {
        foreach (var resource in Resources)
        {
            await app.ResourceNotifications.WaitForResourceHealthyAsync(resource, cancellationToken);
        }

        return app.GetEndpoint("local-aws", "http");
    }

    /// <summary>An HTTP client for a service, with that service's operator key.</summary>
    public static HttpClient CreateOperatorClient(DistributedApplication app, string resource, string operatorKey)
    {
        var client = app.CreateHttpClient(resource, "http");
        client.DefaultRequestHeaders.Add("X-Api-Key", operatorKey);
        return client;
    }
}
