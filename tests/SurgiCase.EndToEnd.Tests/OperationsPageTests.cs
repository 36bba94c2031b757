using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace SurgiCase.EndToEnd.Tests;

/// <summary>The operations page in a real browser against the real AppHost: sign in, act, see the outcome.</summary>
[Collection(SurgiCaseAppCollection.Name)]
public sealed partial class OperationsPageTests : IClassFixture<ChromiumBrowser>, IAsyncLifetime
{
    private const string PaymentReport = "weekly-provider-payment-report";
    private const string NpiUpdate = "weekly-npi-update";

    private readonly SurgiCaseAppFixture _app;
    private readonly ChromiumBrowser _chromium;
    private readonly List<IBrowserContext> _contexts = [];

    public OperationsPageTests(SurgiCaseAppFixture app, ChromiumBrowser chromium)
    {
        (_app, _chromium) = (app, chromium);
        // Alerts cross SQS and SES and the page refreshes every 5 s: the expectations wait for that, not for a fixed time.
        SetDefaultExpectTimeout(30_000);
    }

    private string BaseUrl => _app.App.GetEndpoint("scheduler-service", "http").ToString().TrimEnd('/');

    [Fact]
    public async Task Run_now_against_a_failing_api_shows_the_failed_run_its_alert_and_the_alert_preview()
    {
        await _app.SetSimulatorFaultAsync(new { mode = "error", status = 500 });
        try
        {
            var previousRun = await LatestRunIdAsync(PaymentReport);
            var previousAlert = await LatestAlertIdAsync(PaymentReport);
            var page = await SignedInPageAsync();
            var row = JobRow(page, PaymentReport);

            await row.GetByRole(AriaRole.Button, new() { Name = "Run now" }).ClickAsync();
            await Expect(page.Locator(".notice")).ToContainTextAsync("Weekly Provider Payment Report is queued");

            // The alert for this run appears (newest first) once NotificationService has sent it. Another job's alert may
            // come in between: Pool stats runs every 15 minutes against the same failing API.
            var newestAlert = page.Locator($"#alerts li.alert[data-job=\"{PaymentReport}\"]").First;
            if (previousAlert is not null)
            {
                await Expect(newestAlert).Not.ToHaveAttributeAsync("data-alert", previousAlert);
            }

            await Expect(newestAlert).ToContainTextAsync("CRITICAL: Scheduled Job Failed - Weekly Provider Payment Report");
            await Expect(row.Locator("td.col-status")).ToHaveAttributeAsync("data-status", "failed");
            await Expect(row.Locator("td.col-last")).ToContainTextAsync("manual by operator");
            await Expect(row.Locator("td.col-last")).ToContainTextAsync("HTTP status 500");
            await Expect(page.Locator("#secrets-panel .facts")).ToContainTextAsync("AWS circuit breaker");
            await page.ScreenshotAsync(new() { Path = ChromiumBrowser.ScreenshotPath("operations-overview.png"), FullPage = true });

            // The job's history: this run, failed, with who started it, its error and a link to its trace.
            await row.GetByRole(AriaRole.Link, new() { Name = "Weekly Provider Payment Report" }).ClickAsync();
            await Expect(page).ToHaveURLAsync(new Regex($"/ops/jobs/{PaymentReport}$"));
            var newestRun = page.Locator("#runs tbody tr").First;
            if (previousRun is not null)
            {
                await Expect(newestRun).Not.ToHaveAttributeAsync("data-run", previousRun);
            }

            await Expect(newestRun.Locator("td[data-outcome]")).ToHaveAttributeAsync("data-outcome", "failed");
            await Expect(newestRun).ToContainTextAsync("manual");
            await Expect(newestRun).ToContainTextAsync("operator");
            await Expect(newestRun.Locator(".error-detail")).ToContainTextAsync("failed with HTTP status 500");
            await Expect(newestRun.Locator("a.trace-link")).ToHaveAttributeAsync("href", TraceLink());
            await page.ScreenshotAsync(new() { Path = ChromiumBrowser.ScreenshotPath("operations-job-history.png"), FullPage = true });

            // The alert as emailed, in a sandboxed frame whose response forbids script of its own.
            await page.GetByRole(AriaRole.Link, new() { Name = "← All jobs" }).ClickAsync();
            await page.Locator($"#alerts li.alert[data-job=\"{PaymentReport}\"]").First.GetByRole(AriaRole.Link, new() { Name = "Preview" }).ClickAsync();
            var frame = page.Locator("iframe.preview-frame");
            await Expect(frame).ToHaveAttributeAsync("sandbox", "");
            await Expect(page.FrameLocator("iframe.preview-frame").Locator("body")).ToContainTextAsync("Provider payment report failed with HTTP status 500");
            var content = await page.Context.APIRequest.GetAsync((await frame.GetAttributeAsync("src"))!);
            Assert.Equal(200, content.Status);
            Assert.Contains("sandbox", content.Headers["content-security-policy"], StringComparison.Ordinal);
            Assert.StartsWith("text/html", content.Headers["content-type"], StringComparison.Ordinal);
            await page.ScreenshotAsync(new() { Path = ChromiumBrowser.ScreenshotPath("operations-alert-preview.png"), FullPage = true });
        }
        finally
        {
            await _app.ClearSimulatorFaultsAsync();
        }
    }

    [Fact]
    public async Task Pause_and_resume_change_the_badge_and_are_recorded_as_the_operator()
    {
        var page = await SignedInPageAsync();
        var row = JobRow(page, NpiUpdate);
        try
        {
            await row.GetByRole(AriaRole.Button, new() { Name = "Pause" }).ClickAsync();
            await Expect(page.Locator(".notice")).ToContainTextAsync("is paused");
            await Expect(row.Locator("td.col-status")).ToHaveAttributeAsync("data-status", "paused");
            await Expect(row.Locator("td.col-status .badge")).ToHaveTextAsync("paused");
            await Expect(row.Locator("td.col-next")).ToHaveTextAsync("paused");
            var paused = await JobAsync(NpiUpdate);
            Assert.True(paused["paused"]!.GetValue<bool>());
            Assert.Equal("operator", paused["pausedBy"]!.GetValue<string>());

            await row.GetByRole(AriaRole.Button, new() { Name = "Resume" }).ClickAsync();
            await Expect(page.Locator(".notice")).ToContainTextAsync("is resumed");
            await Expect(row.Locator("td.col-status")).Not.ToHaveAttributeAsync("data-status", "paused");
            await Expect(row.GetByRole(AriaRole.Button, new() { Name = "Pause" })).ToBeVisibleAsync();
            var resumed = await JobAsync(NpiUpdate);
            Assert.False(resumed["paused"]!.GetValue<bool>());
            var actions = resumed["recentActions"]!.AsArray();
            Assert.Equal(["resume", "pause"], actions.Take(2).Select(a => a!["action"]!.GetValue<string>()));
            Assert.All(actions.Take(2), a => Assert.Equal("operator", a!["actor"]!.GetValue<string>()));
        }
        finally
        {
            using var api = _app.CreateOperatorClient("scheduler-service");
            (await api.PostAsync($"/jobs/{NpiUpdate}/resume", null)).Dispose();
        }
    }

    [Fact]
    public async Task Without_signing_in_the_page_and_its_actions_are_refused()
    {
        var context = await NewContextAsync();
        var page = await context.NewPageAsync();
        var before = await LatestRunIdAsync(NpiUpdate);

        // A browser is sent to the sign-in page, and a wrong key does not get past it.
        await page.GotoAsync($"/ops/jobs/{NpiUpdate}");
        await Expect(page).ToHaveURLAsync(new Regex(@"/signin\?ReturnUrl=%2Fops%2Fjobs%2F" + NpiUpdate));
        await page.GetByLabel("Operator key").FillAsync("not-the-key");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.Locator(".form-error")).ToHaveTextAsync("That is not the operator key.");

        // A form post without the session cookie is redirected to sign in, not run.
        var anonymousPost = await context.APIRequest.PostAsync($"/ops/jobs/{NpiUpdate}/run", new() { MaxRedirects = 0, Form = context.APIRequest.CreateFormData() });
        Assert.Equal(302, anonymousPost.Status);
        Assert.Contains("/signin", anonymousPost.Headers["location"], StringComparison.Ordinal);

        // Signed in, a post without the page's antiforgery token is refused too.
        await page.GetByLabel("Operator key").FillAsync(_app.AdminApiKey);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex($"/ops/jobs/{NpiUpdate}$"));
        var forged = await context.APIRequest.PostAsync($"/ops/jobs/{NpiUpdate}/run", new() { MaxRedirects = 0, Form = context.APIRequest.CreateFormData() });
        Assert.Equal(400, forged.Status);

        // The cookie is the page's: the JSON API still wants the API key, and answers problem details without it.
        var apiWithCookie = await context.APIRequest.GetAsync("/jobs", new() { MaxRedirects = 0 });
        Assert.Equal(401, apiWithCookie.Status);
        Assert.StartsWith("application/problem+json", apiWithCookie.Headers["content-type"], StringComparison.Ordinal);
        using var anonymous = _app.App.CreateHttpClient("scheduler-service", "http");
        using (var jobs = await anonymous.GetAsync("/jobs"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, jobs.StatusCode);
        }

        using (var health = await anonymous.GetAsync("/health"))
        {
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        }

        Assert.Equal(before, await LatestRunIdAsync(NpiUpdate));

        // Signing out ends the session.
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/signin$"));
        await page.GotoAsync("/");
        await Expect(page).ToHaveURLAsync(new Regex(@"/signin\?ReturnUrl=%2F$"));
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var context in _contexts)
        {
            await context.DisposeAsync();
        }
    }

    private async Task<IBrowserContext> NewContextAsync()
    {
        var context = await _chromium.Browser.NewContextAsync(new()
        {
            BaseURL = BaseUrl,
            ViewportSize = new() { Width = 1440, Height = 900 },
            ColorScheme = ColorScheme.Light,
            TimezoneId = "UTC",
        });
        _contexts.Add(context);
        return context;
    }

    private async Task<IPage> SignedInPageAsync()
    {
        var page = await (await NewContextAsync()).NewPageAsync();
        await page.GotoAsync("/");
        await Expect(page).ToHaveURLAsync(new Regex("/signin"));
        await page.GetByLabel("Operator key").FillAsync(_app.AdminApiKey);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Scheduled jobs" })).ToBeVisibleAsync();
        return page;
    }

    private static ILocator JobRow(IPage page, string jobId) => page.Locator($"#jobs tr[data-job=\"{jobId}\"]");

    private async Task<string?> LatestRunIdAsync(string jobId)
    {
        using var api = _app.CreateOperatorClient("scheduler-service");
        var runs = await api.GetFromJsonAsync<JsonArray>($"/jobs/{jobId}/runs?limit=1");
        return runs!.FirstOrDefault()?["runId"]?.GetValue<string>();
    }

    private async Task<string?> LatestAlertIdAsync(string jobId)
    {
        using var api = _app.CreateOperatorClient("notification-service");
        var alerts = await api.GetFromJsonAsync<JsonArray>("/notifications?limit=100");
        return alerts!.FirstOrDefault(a => a?["jobId"]?.GetValue<string>() == jobId)?["id"]?.GetValue<long>().ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    private async Task<JsonObject> JobAsync(string jobId)
    {
        using var api = _app.CreateOperatorClient("scheduler-service");
        return (await api.GetFromJsonAsync<JsonObject>($"/jobs/{jobId}"))!;
    }

    [GeneratedRegex("^http://localhost:18888/traces/detail/[0-9a-f]{32}$")]
    private static partial Regex TraceLink();
}
