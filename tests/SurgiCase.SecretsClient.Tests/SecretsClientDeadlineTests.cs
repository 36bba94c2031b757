using Microsoft.Extensions.Time.Testing;
using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SurgiCase.SecretsClient;
using SurgiCase.Testing;
using SurgiCase.SecretsService.Tests;

namespace SurgiCase.SecretsClient.Tests;

/// <summary>
/// A SecretsService outage must fall back to the last copy within SecretsClient:Timeout, even in a service whose
/// ServiceDefaults put the standard resilience handler (retries with back-off, 10 s attempts) on every HttpClient.
/// </summary>
[Collection(MotoCollection.Name)]
public sealed class SecretsClientDeadlineTests(MotoServer moto) : IAsyncLifetime
{
    private const string Value = """{"deadline":"deadline-test-value-7f3a"}""";
    private readonly SecretsServiceApp _app = new(moto);
    private readonly Route _route = new();

    public async Task InitializeAsync() => await moto.CreateSecretAsync(_app.Name("main"), Value);

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Refused_connection_is_retried_once_then_the_last_copy_is_served_at_once()
    {
        // The client's clock never moves: a retry that waited on it (the standard handler backs off 2 s and more) would
        // never end, and the lookup would only come back at the 30 s deadline with one attempt made.
        await using var services = BuildClientServices(timeout: "00:00:30", new FakeTimeProvider());
        var client = services.GetRequiredService<ISecretsClient>();
        await client.GetSecretAsync(_app.Name("main"));
        _route.Mode = RouteMode.Refused;

        var lookup = await client.GetSecretAsync(_app.Name("main")).WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(SecretLookup.ClientCachedSource, lookup.Source);
        Assert.Equal(Value, lookup.Value);
        Assert.Equal(2, _route.FailedAttempts);
    }

    [Fact]
    public async Task Hanging_service_falls_back_when_the_timeout_passes_without_a_retry()
    {
        await using var services = BuildClientServices(timeout: "00:00:00.300");
        var client = services.GetRequiredService<ISecretsClient>();
        await FirstCopyAsync(client, _app.Name("main"));
        _route.Mode = RouteMode.Hang;

        var watch = Stopwatch.StartNew();
        var lookup = await client.GetSecretAsync(_app.Name("main"));
        watch.Stop();

        Assert.Equal(SecretLookup.ClientCachedSource, lookup.Source);
        Assert.Equal(1, _route.FailedAttempts);
        Assert.InRange(watch.Elapsed, TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(3));
    }

    [Fact]
    public async Task Hanging_service_without_a_copy_throws_within_the_timeout()
    {
        await using var services = BuildClientServices(timeout: "00:00:00.300");
        _route.Mode = RouteMode.Hang;

        var watch = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<SecretsClientException>(
            () => services.GetRequiredService<ISecretsClient>().GetSecretAsync(_app.Name("main")));
        watch.Stop();

        Assert.Null(error.StatusCode);
        Assert.Contains("timeout", error.Message);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(3), $"took {watch.Elapsed}");
    }

    [Fact]
    public async Task Caller_cancellation_is_not_turned_into_a_fallback()
    {
        await using var services = BuildClientServices(timeout: "00:00:05");
        var client = services.GetRequiredService<ISecretsClient>();
        await client.GetSecretAsync(_app.Name("main"));
        _route.Mode = RouteMode.Hang;
        using var cancel = new CancellationTokenSource();

        var pending = client.GetSecretAsync(_app.Name("main"), cancel.Token);
        await _route.WaitForAttemptAsync();
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending);
    }

    [Fact]
    public async Task Out_of_range_timeout_fails_validation_naming_the_key()
    {
        await using var services = BuildClientServices(timeout: "00:00:00");

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<SecretsClientOptions>>().Value);

        Assert.Contains("SecretsClient.Timeout", error.Message);
    }

    /// <summary>
    /// The copy the fallback serves later. With a 300 ms timeout a loaded machine can miss the first answer, which
    /// is set-up rather than what the test checks, so it is asked again until one arrives.
    /// </summary>
    private static async Task FirstCopyAsync(ISecretsClient client, string name)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                await client.GetSecretAsync(name);
                return;
            }
            catch (SecretsClientException) when (DateTime.UtcNow < deadline)
            {
            }
        }
    }

    private ServiceProvider BuildClientServices(string timeout, TimeProvider? time = null)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["SecretsClient:ApiKey"] = SecretsServiceApp.NotificationKey,
                ["SecretsClient:Timeout"] = timeout,
            })
            .Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        if (time is not null)
        {
            services.AddSingleton(time);
        }

        services.AddLogging(l => l.AddFakeLogging().AddProvider(SecretLeakGuard.Capture.CreateLoggerProvider()));
        var inMemory = new HttpMessageInvoker(_app.Server.CreateHandler());
        services.AddSecretsClient().ConfigurePrimaryHttpMessageHandler(() => new RouteHandler(_route, inMemory));
        return services.BuildServiceProvider();
    }

    private enum RouteMode
    {
        Service,
        Refused,
        Hang,
    }

    private sealed class Route
    {
        private readonly TaskCompletionSource _attempted = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _failedAttempts;

        public volatile RouteMode Mode;

        public int FailedAttempts => Volatile.Read(ref _failedAttempts);

        public void CountFailedAttempt()
        {
            Interlocked.Increment(ref _failedAttempts);
            _attempted.TrySetResult();
        }

        public Task WaitForAttemptAsync() => _attempted.Task.WaitAsync(TimeSpan.FromSeconds(10));
    }

    /// <summary>The in-memory SecretsService, a real refused connection on a closed loopback port, or a server that never answers.</summary>
    private sealed class RouteHandler(Route route, HttpMessageInvoker service) : HttpMessageHandler
    {
        private static readonly int ClosedPort = MotoServer.FreeTcpPort();
        private readonly HttpMessageInvoker _sockets = new(new SocketsHttpHandler());

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            switch (route.Mode)
            {
                case RouteMode.Refused:
                    route.CountFailedAttempt();
                    request.RequestUri = new UriBuilder(request.RequestUri!) { Host = "127.0.0.1", Port = ClosedPort }.Uri;
                    return await _sockets.SendAsync(request, cancellationToken);
                case RouteMode.Hang:
                    route.CountFailedAttempt();
                    await Task.Delay(Timeout.Infinite, cancellationToken);
                    throw new InvalidOperationException("unreachable");
                default:
                    return await service.SendAsync(request, cancellationToken);
            }
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _sockets.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
