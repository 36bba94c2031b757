using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using SurgiCase.SecretsClient;
using SurgiCase.Testing;
using SurgiCase.SecretsService.Tests;

namespace SurgiCase.SecretsClient.Tests;

/// <summary>The shared client against the real SecretsService (in memory), with a switch that takes the service away.</summary>
[Collection(MotoCollection.Name)]
public sealed class SecretsClientTests(MotoServer moto) : IAsyncLifetime
{
    private const string MainValue = """{"job_failure_recipients":"ops@surgicase.local,admin@surgicase.local","admin_email":"admin@surgicase.local","n":3}""";
    private readonly SecretsServiceApp _app = new(moto);
    private readonly FakeTimeProvider _clientTime = new(new DateTimeOffset(2026, 1, 5, 8, 0, 0, TimeSpan.Zero));
    private readonly ServiceSwitch _switch = new();
    private ServiceProvider _services = null!;

    public async Task InitializeAsync()
    {
        await moto.CreateSecretAsync(_app.Name("main"), MainValue);
        await moto.CreateSecretAsync(_app.Name("api"), """{"api_key":"client-api-value"}""");
        _services = BuildClientServices(SecretsServiceApp.NotificationKey);
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _app.DisposeAsync();
    }

    private ISecretsClient Client => _services.GetRequiredService<ISecretsClient>();

    [Fact]
    public async Task Reads_a_secret_and_one_of_its_fields()
    {
        var lookup = await Client.GetSecretAsync(_app.Name("main"));
        var recipients = await Client.GetSecretFieldAsync(_app.Name("main"), "job_failure_recipients");
        var number = await Client.GetSecretFieldAsync(_app.Name("main"), "n");
        var missing = await Client.GetSecretFieldAsync(_app.Name("main"), "nope");

        Assert.Equal(MainValue, lookup.Value);
        Assert.Equal("fresh", lookup.Source);
        Assert.Equal("ops@surgicase.local,admin@surgicase.local", recipients);
        Assert.Equal("3", number);
        Assert.Null(missing);
        Assert.DoesNotContain("admin@", lookup.ToString());
    }

    [Fact]
    public async Task Unreachable_service_serves_the_last_copy_as_client_cached()
    {
        await Client.GetSecretAsync(_app.Name("main"));
        _clientTime.Advance(TimeSpan.FromMinutes(5));
        _switch.Unreachable = true;

        var lookup = await Client.GetSecretAsync(_app.Name("main"));

        Assert.Equal(SecretLookup.ClientCachedSource, lookup.Source);
        Assert.Equal(MainValue, lookup.Value);
        Assert.Equal(300, lookup.AgeSeconds);
    }

    [Fact]
    public async Task Service_503_serves_the_last_copy_and_without_one_throws_with_the_status()
    {
        await Client.GetSecretAsync(_app.Name("main"));
        // The SecretsService restarts during an AWS outage: its cache is empty, so it answers 503.
        await using var restarted = new SecretsServiceApp(moto, _app.Prefix);
        restarted.Faults.All = AwsFault.InternalServiceError;
        _switch.Target = new HttpMessageInvoker(restarted.Server.CreateHandler());

        var served = await Client.GetSecretAsync(_app.Name("main"));
        using var other = BuildClientServices(SecretsServiceApp.SchedulerKey);
        var error = await Assert.ThrowsAsync<SecretsClientException>(
            () => other.GetRequiredService<ISecretsClient>().GetSecretAsync(_app.Name("api")));

        Assert.Equal(SecretLookup.ClientCachedSource, served.Source);
        Assert.Equal(MainValue, served.Value);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, error.StatusCode);
        Assert.Equal("Secret unavailable", error.ProblemTitle);
    }

    [Fact]
    public async Task Not_allowed_is_not_masked_by_the_client_copy()
    {
        var error = await Assert.ThrowsAsync<SecretsClientException>(() => Client.GetSecretAsync(_app.Name("api")));

        Assert.Equal(HttpStatusCode.Forbidden, error.StatusCode);
        Assert.Equal("Secret not allowed", error.ProblemTitle);
    }

    [Fact]
    public async Task Deleted_secret_is_404_even_with_a_client_copy()
    {
        await Client.GetSecretAsync(_app.Name("main"));
        await moto.DeleteSecretAsync(_app.Name("main"));
        _app.Time.Advance(TimeSpan.FromHours(2));

        var error = await Assert.ThrowsAsync<SecretsClientException>(() => Client.GetSecretAsync(_app.Name("main")));

        Assert.Equal(HttpStatusCode.NotFound, error.StatusCode);
    }

    [Fact]
    public async Task Missing_api_key_fails_validation_naming_the_key()
    {
        await using var services = BuildClientServices(apiKey: null);

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<SecretsClientOptions>>().Value);

        Assert.Contains("SecretsClient:ApiKey", error.Message);
    }

    private ServiceProvider BuildClientServices(string? apiKey)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["SecretsClient:ApiKey"] = apiKey })
            .Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging(l => l.AddFakeLogging().AddProvider(SecretLeakGuard.Capture.CreateLoggerProvider()));
        services.AddSingleton<TimeProvider>(_clientTime);
        _switch.Target ??= new HttpMessageInvoker(_app.Server.CreateHandler());
        services.AddSecretsClient().ConfigurePrimaryHttpMessageHandler(() => new ServiceSwitchHandler(_switch));
        return services.BuildServiceProvider();
    }

    private sealed class ServiceSwitch
    {
        public volatile bool Unreachable;

        /// <summary>The SecretsService instance requests go to.</summary>
        public HttpMessageInvoker? Target;
    }

    /// <summary>Routes to the in-memory SecretsService; "unreachable" stands for it being down (connection refused).</summary>
    private sealed class ServiceSwitchHandler(ServiceSwitch state) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            state.Unreachable
                ? throw new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused (secrets-service:80)")
                : state.Target!.SendAsync(request, cancellationToken);
    }
}
