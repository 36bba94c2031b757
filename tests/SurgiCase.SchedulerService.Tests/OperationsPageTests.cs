using System.Net;

namespace SurgiCase.SchedulerService.Tests;

/// <summary>
/// The operations page as the scheduler serves it: every page under a strict Content-Security-Policy and never framed or
/// cached, problem details for an unknown job, and an alert preview that says why it is unavailable, sandboxed.
/// </summary>
public sealed class OperationsPageTests : IAsyncLifetime
{
    private const string PageSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-src 'self'; connect-src 'self'; " +
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

    private readonly SimulatorHost _simulator = new();

    public Task InitializeAsync() => _simulator.InitializeAsync();

    public Task DisposeAsync() => _simulator.DisposeAsync();

    [Theory]
    [InlineData("/")]
    [InlineData("/ops/jobs/weekly-referral-report")]
    public async Task Pages_carry_a_strict_policy_and_are_never_framed_or_cached(string path)
    {
        using var app = new SchedulerApp(_simulator.BaseAddress);
        using var client = await SignedInAsync(app);

        using var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(PageSecurityPolicy, Header(response, "Content-Security-Policy"));
        Assert.Equal("DENY", Header(response, "X-Frame-Options"));
        Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
        Assert.Equal("no-store", Header(response, "Cache-Control"));
        Assert.Equal("no-referrer", Header(response, "Referrer-Policy"));
    }

    [Fact]
    public async Task The_sign_in_page_carries_the_same_policy()
    {
        using var app = new SchedulerApp(_simulator.BaseAddress);
        using var client = OperationsPageClient.Create(app);

        using var response = await client.GetAsync("/signin");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(PageSecurityPolicy, Header(response, "Content-Security-Policy"));
        Assert.Contains("""<link rel="stylesheet" href="/ops/assets/operations.css" />""", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_job_is_a_404_problem()
    {
        using var app = new SchedulerApp(_simulator.BaseAddress);
        using var client = await SignedInAsync(app);

        using var response = await client.GetAsync("/ops/jobs/no-such-job");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Without_a_notifications_key_the_page_says_so_and_the_preview_is_a_sandboxed_503()
    {
        using var app = new SchedulerApp(_simulator.BaseAddress);
        using var client = await SignedInAsync(app);

        var overview = await client.GetStringAsync("/");
        using var preview = await client.GetAsync("/ops/alerts/1/preview/content");

        Assert.Contains("Not configured: set Operations:NotificationsApiKey to read the alerts.", overview, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, preview.StatusCode);
        Assert.Contains("sandbox", Header(preview, "Content-Security-Policy"), StringComparison.Ordinal);
        Assert.Equal("SAMEORIGIN", Header(preview, "X-Frame-Options"));
        Assert.Contains("Preview unavailable: Not configured", await preview.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static async Task<HttpClient> SignedInAsync(SchedulerApp app)
    {
        var client = OperationsPageClient.Create(app);
        using var signedIn = await OperationsPageClient.SignInAsync(client, SchedulerApp.OperatorKey, "/");
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        return client;
    }

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values)
            ? string.Join(", ", values)
            : throw new Xunit.Sdk.XunitException($"no {name} header");
}
