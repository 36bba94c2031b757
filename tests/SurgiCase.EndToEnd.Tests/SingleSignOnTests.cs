using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace SurgiCase.EndToEnd.Tests;

/// <summary>
/// Issue 18 in a real browser against the real AppHost: a person signs in through the local identity provider
/// (SurgiCase.IdentityProvider, authorization code with PKCE), runs a job, acknowledges its alert and sends the test
/// alert, and the page and the APIs show her name; a viewer gets 403 on Run now.
/// </summary>
[Collection(SurgiCaseAppCollection.Name)]
public sealed class SingleSignOnTests : IClassFixture<ChromiumBrowser>, IAsyncLifetime
{
    private const string PaymentReport = "weekly-provider-payment-report";
    private const string NpiUpdate = "weekly-npi-update";
    private const string Olivia = "Olivia Operator [olivia]";

    private readonly SurgiCaseAppFixture _app;
    private readonly ChromiumBrowser _chromium;
    private readonly List<IBrowserContext> _contexts = [];

    public SingleSignOnTests(SurgiCaseAppFixture app, ChromiumBrowser chromium)
    {
        (_app, _chromium) = (app, chromium);
        SetDefaultExpectTimeout(30_000);
    }

    [Fact]
    public async Task An_operator_signs_in_runs_a_job_acknowledges_its_alert_and_sends_a_test_alert_under_her_name()
    {
        await _app.SetSimulatorFaultAsync(new { mode = "error", status = 500 });
        try
        {
            var page = await SignedInAsync("olivia");
            await Expect(page.Locator(".topbar__who")).ToHaveTextAsync("Olivia Operator");
            var row = page.Locator($"#jobs tr[data-job=\"{PaymentReport}\"]");

            await row.GetByRole(AriaRole.Button, new() { Name = "Run now" }).ClickAsync();
            await Expect(page.Locator(".notice")).ToContainTextAsync("is queued");
            await Expect(row.Locator("td.col-last")).ToContainTextAsync("manual by " + Olivia);
            using var scheduler = _app.CreateOperatorClient("scheduler-service");
            var run = (await scheduler.GetFromJsonAsync<JsonArray>($"/jobs/{PaymentReport}/runs?limit=1"))![0]!;
            Assert.Equal(Olivia, run["requestedBy"]!.GetValue<string>());

            // Its critical alert, unacknowledged, then acknowledged by her from the page.
            var alert = page.Locator($"#alerts li.alert[data-job=\"{PaymentReport}\"]").Filter(new() { Has = page.Locator("[data-ack=unacknowledged]") }).First;
            await Expect(alert).ToBeVisibleAsync();
            var alertId = await alert.GetAttributeAsync("data-alert");
            await alert.GetByRole(AriaRole.Button, new() { Name = "Acknowledge" }).ClickAsync();
            await Expect(page.Locator(".notice")).ToContainTextAsync("Alert acknowledged");
            await Expect(page.Locator($"#alerts li.alert[data-alert=\"{alertId}\"] [data-ack=acknowledged]")).ToContainTextAsync("Acknowledged by " + Olivia);
            using var notifications = _app.CreateOperatorClient("notification-service");
            var record = await notifications.GetFromJsonAsync<JsonObject>($"/notifications/{alertId}");
            Assert.StartsWith(Olivia, record!["acknowledgedBy"]!.GetValue<string>(), StringComparison.Ordinal);

            // The seed's "test the notification system", from the page and in her name.
            await page.GetByRole(AriaRole.Button, new() { Name = "Send test alert" }).ClickAsync();
            await Expect(page.Locator(".notice")).ToContainTextAsync("Test alert sent");
            var test = page.Locator("#alerts li.alert[data-job=\"test-job\"]").First;
            await Expect(test.Locator("[data-requested-by]")).ToHaveTextAsync($"Test alert sent by {Olivia} (operations page)");
            var testRecord = await notifications.GetFromJsonAsync<JsonObject>($"/notifications/{await test.GetAttributeAsync("data-alert")}");
            Assert.Equal($"{Olivia} (operations page)", testRecord!["requestedBy"]!.GetValue<string>());
            Assert.Equal("sent", testRecord["status"]!.GetValue<string>());
            await page.ScreenshotAsync(new() { Path = ChromiumBrowser.ScreenshotPath("operations-single-sign-on.png"), FullPage = true });
        }
        finally
        {
            await _app.ClearSimulatorFaultsAsync();
        }
    }

    [Fact]
    public async Task A_viewer_reads_the_page_and_gets_403_on_run_now()
    {
        using var scheduler = _app.CreateOperatorClient("scheduler-service");
        var before = (await scheduler.GetFromJsonAsync<JsonArray>($"/jobs/{NpiUpdate}/runs?limit=1"))!.FirstOrDefault()?["runId"]?.GetValue<string>();
        var page = await SignedInAsync("victor");
        await Expect(page.Locator(".topbar__who")).ToHaveTextAsync("Victor Viewer");
        var row = page.Locator($"#jobs tr[data-job=\"{NpiUpdate}\"]");

        // A viewer's page offers no buttons; the post a button would make, with the page's own antiforgery token, is refused.
        await Expect(row.GetByRole(AriaRole.Button, new() { Name = "Run now" })).ToHaveCountAsync(0);
        var token = await page.Locator("input[name=__af]").First.GetAttributeAsync("value");
        var form = page.Context.APIRequest.CreateFormData();
        form.Set("__af", token!);
        form.Set("returnUrl", "/");
        var answer = await page.Context.APIRequest.PostAsync($"/ops/jobs/{NpiUpdate}/run", new() { Form = form, MaxRedirects = 0 });

        Assert.Equal(403, answer.Status);
        var after = (await scheduler.GetFromJsonAsync<JsonArray>($"/jobs/{NpiUpdate}/runs?limit=1"))!.FirstOrDefault()?["runId"]?.GetValue<string>();
        Assert.Equal(before, after);
    }

    /// <summary>Through the page's sign-in, the provider's login form and back: as a person does.</summary>
    private async Task<IPage> SignedInAsync(string userName)
    {
        var context = await _chromium.Browser.NewContextAsync(new()
        {
            BaseURL = _app.App.GetEndpoint("scheduler-service", "http").ToString().TrimEnd('/'),
            ViewportSize = new() { Width = 1440, Height = 900 },
            TimezoneId = "UTC",
        });
        _contexts.Add(context);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/");
        await page.GetByRole(AriaRole.Link, new() { Name = "Sign in with single sign-on" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/login\\?"));
        await page.Locator("#username").FillAsync(userName);
        await page.Locator("#password").FillAsync(_app.PersonPasswords[userName]);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Scheduled jobs" })).ToBeVisibleAsync();
        return page;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var context in _contexts)
        {
            await context.DisposeAsync();
        }
    }
}
