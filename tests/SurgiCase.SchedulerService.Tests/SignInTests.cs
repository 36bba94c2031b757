using System.Net;
using static SurgiCase.SchedulerService.Tests.OperationsPageClient;

namespace SurgiCase.SchedulerService.Tests;

/// <summary>
/// The operations page's sign-in: return URLs stay on this site, cookies are Secure outside Development, guessing the
/// key is rate limited, and a disabled job's Run now is refused. Over https, as outside Development it must be.
/// </summary>
public sealed class SignInTests : IAsyncLifetime
{
    private const string DisabledJobId = "disabled-page-probe";
    private readonly SimulatorHost _simulator = new();

    public Task InitializeAsync() => _simulator.InitializeAsync();

    public Task DisposeAsync() => _simulator.DisposeAsync();

    private SchedulerApp NewApp() =>
        new(_simulator.BaseAddress, SchedulerApp.Job(7, DisabledJobId, "/api/reports/referral", enabled: false));

    [Theory]
    [InlineData("/\t/evil.example")]
    [InlineData("//evil.example")]
    [InlineData("/\\evil.example")]
    [InlineData("https://evil.example")]
    [InlineData("/ops/jobs/x\r\nLocation: https://evil.example")]
    public async Task A_return_url_off_this_site_lands_on_the_overview(string returnUrl)
    {
        using var app = NewApp();
        using var client = OperationsPageClient.Create(app);

        using var response = await SignInAsync(client, SchedulerApp.OperatorKey, returnUrl);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", response.Headers.Location?.OriginalString);

        // Once signed in, the sign-in page forwards by the same rule.
        using var again = await client.GetAsync("/signin?returnUrl=" + Uri.EscapeDataString(returnUrl));
        Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
        Assert.Equal("/", again.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task A_local_return_url_is_followed_and_the_cookies_are_secure()
    {
        using var app = NewApp();
        using var client = OperationsPageClient.Create(app);

        using var signInPage = await client.GetAsync("/signin");
        Assert.Contains(signInPage.Headers.GetValues("Set-Cookie"), c => c.StartsWith("__Host-surgicase-operations-af=", StringComparison.Ordinal) && c.Contains("secure", StringComparison.OrdinalIgnoreCase));
        using var response = await SignInAsync(client, SchedulerApp.OperatorKey, "/ops/jobs/weekly-referral-report");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/ops/jobs/weekly-referral-report", response.Headers.Location?.OriginalString);
        var session = Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("__Host-surgicase-operations=", StringComparison.Ordinal));
        Assert.Contains("secure", session, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Over_https_outside_Development_the_page_sends_HSTS_and_over_http_it_does_not()
    {
        using var app = NewApp();
        using var https = OperationsPageClient.Create(app);
        using var http = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { BaseAddress = new Uri("http://localhost"), AllowAutoRedirect = false });

        using var secure = await https.GetAsync("/signin");
        using var plain = await http.GetAsync("/signin");

        Assert.Equal("max-age=31536000; includeSubDomains", Assert.Single(secure.Headers.GetValues("Strict-Transport-Security")));
        Assert.False(plain.Headers.Contains("Strict-Transport-Security"));
    }

    [Fact]
    public async Task Run_now_of_a_disabled_job_is_refused_with_409()
    {
        using var app = NewApp();
        using var client = OperationsPageClient.Create(app);
        (await SignInAsync(client, SchedulerApp.OperatorKey, "/")).Dispose();

        var page = await client.GetStringAsync($"/ops/jobs/{DisabledJobId}");
        Assert.DoesNotContain("data-action=\"run\"", page, StringComparison.Ordinal);
        using var response = await client.PostAsync($"/ops/jobs/{DisabledJobId}/run", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__af"] = AntiforgeryToken(page),
            ["returnUrl"] = "/",
        }));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task More_than_ten_sign_in_attempts_a_minute_are_answered_429()
    {
        using var app = NewApp();
        using var client = OperationsPageClient.Create(app);
        var token = AntiforgeryToken(await client.GetStringAsync("/signin"));

        for (var i = 0; i < 10; i++)
        {
            using var wrong = await PostSignInAsync(client, token, "not-the-key", "/");
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }

        // Even the right key waits now: the limit is on attempts, not on failures.
        using var limited = await PostSignInAsync(client, token, SchedulerApp.OperatorKey, "/");
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal("application/problem+json", limited.Content.Headers.ContentType?.MediaType);
        Assert.True(limited.Headers.RetryAfter is not null, "no Retry-After");
    }
}
