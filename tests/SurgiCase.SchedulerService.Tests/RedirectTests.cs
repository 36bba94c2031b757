using System.Net;
using Microsoft.Extensions.DependencyInjection;
using SurgiCase.Messaging.Contracts;
using SurgiCase.SchedulerService.Execution;
using SurgiCase.SchedulerService.Storage;
using SurgiCase.Testing;

namespace SurgiCase.SchedulerService.Tests;

/// <summary>
/// A redirect must never carry a key to another host: .NET strips only <c>Authorization</c> when it follows one, so
/// the scheduler's clients follow none. The job's target redirects to a second local listener that records headers.
/// </summary>
public sealed class RedirectTests : IAsyncLifetime
{
    private const string Probe = "redirect-probe";
    private const string CallerKey = "scheduler-secrets-test-key";
    private readonly string _apiKey = "api-key-" + Guid.NewGuid().ToString("N");
    private readonly SecretsServiceStub _secrets = new(CallerKey);
    private readonly SimulatorHost _simulator = new();
    private readonly RecordingPublisher _publisher = new();
    private readonly RedirectTrap _trap = new(HttpStatusCode.TemporaryRedirect);

    public async Task InitializeAsync()
    {
        await _secrets.InitializeAsync();
        await _simulator.InitializeAsync();
        _secrets.SetSecret("surgicase/api", new { api_key = _apiKey });
    }

    public async Task DisposeAsync()
    {
        _trap.Dispose();
        await _simulator.DisposeAsync();
        await _secrets.DisposeAsync();
    }

    private SchedulerApp NewApp(Uri? pagePanels = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["SurgiCaseApi:ApiKeySecretName"] = "surgicase/api",
            ["SurgiCaseApi:ApiKeySecretField"] = "api_key",
            ["SecretsClient:BaseAddress"] = (pagePanels ?? _secrets.BaseAddress).ToString(),
            ["SecretsClient:ApiKey"] = CallerKey,
            ["Operations:NotificationsBaseAddress"] = (pagePanels ?? _simulator.BaseAddress).ToString(),
            ["Operations:NotificationsApiKey"] = "page-notifications-key",
        };
        foreach (var pair in SchedulerApp.Job(SchedulerApp.SeedJobCount, Probe, new Uri(_trap.Url, "api/reports/provider-payment").ToString()))
        {
            settings[pair.Key] = pair.Value;
        }

        return new SchedulerApp(_simulator.BaseAddress, settings, publisher: _publisher);
    }

    [Fact]
    public async Task A_3xx_from_the_job_target_fails_the_run_with_its_own_message_and_the_key_never_reaches_the_other_host()
    {
        using var app = NewApp();
        using var client = app.CreateOperatorClient();

        var run = await SchedulerApp.WaitFinishedAsync(client, await app.RunAsync(client, Probe));

        Assert.Equal(1, _trap.Redirects);
        Assert.Empty(_trap.Captured);
        Assert.Equal(RunOutcomes.Failed, run.Outcome);
        Assert.Equal(ErrorKinds.Redirected, run.ErrorKind);
        Assert.Equal(
            $"Provider payment report failed: the SurgiCase API answered HTTP 307 redirecting to {_trap.Elsewhere.Authority}; " +
            "redirects are not followed, so the API key stays with the configured host", run.ErrorMessage);
        var failed = Assert.IsType<JobFailed>(Assert.Single(await _publisher.WaitForRunAsync(run.RunId)));
        Assert.Equal(ErrorKinds.Redirected, failed.ErrorKind);
        Assert.StartsWith("Check the job's URL", failed.Troubleshooting![0], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ISecretsClient")]
    [InlineData("NotificationsClient")]
    [InlineData("SecretsCacheClient")]
    [InlineData(HttpJobExecutor.HttpClientName)]
    public async Task No_client_of_the_scheduler_follows_a_redirect(string clientName)
    {
        using var app = NewApp(pagePanels: _trap.Url);
        _ = app.Server;
        var http = app.Services.GetRequiredService<IHttpClientFactory>().CreateClient(clientName);

        using var response = await http.GetAsync(new Uri(_trap.Url, "anything"));

        Assert.Equal(HttpStatusCode.TemporaryRedirect, response.StatusCode);
        Assert.Empty(_trap.Captured);
    }
}
