using Microsoft.Extensions.DependencyInjection;

namespace SurgiCase.Aws;

/// <summary>
/// Extra HTTP handlers in front of one AWS service's calls, whichever client makes them: the thin typed clients here and
/// AWSSDK clients (through <c>ClientConfig.HttpClientFactory</c>) alike. A handler sees each request signed, as AWS
/// would, and may answer it itself. Tests use it to inject what moto cannot do (5xx, throttling, hangs); swapping a thin
/// client for an AWSSDK one changes the adapter, not the tests.
/// </summary>
public static class AwsHttpHandlers
{
    /// <summary>Adds a handler to every client of <paramref name="awsService"/> (<see cref="AwsServiceNames"/>), innermost last.</summary>
    public static IServiceCollection AddAwsHttpHandler(this IServiceCollection services, string awsService, Func<IServiceProvider, DelegatingHandler> create)
    {
        ArgumentException.ThrowIfNullOrEmpty(awsService);
        ArgumentNullException.ThrowIfNull(create);
        services.AddSingleton(new Registration(awsService, create));
        return services;
    }

    /// <summary>New instances of the handlers registered for <paramref name="awsService"/>, outermost first.</summary>
    public static IReadOnlyList<DelegatingHandler> Create(IServiceProvider services, string awsService) =>
        services.GetServices<Registration>().Where(r => r.Service == awsService).Select(r => r.Create(services)).ToList();

    private sealed record Registration(string Service, Func<IServiceProvider, DelegatingHandler> Create);
}
