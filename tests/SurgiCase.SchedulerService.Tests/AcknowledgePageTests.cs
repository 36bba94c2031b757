using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;

namespace SurgiCase.SchedulerService.Tests;

/// <summary>
/// The operations page's side of acknowledging (issue 11.3): the emailed link's page asks before it acknowledges (a GET
/// never does), its form acknowledges with the antiforgery token and no sign-in, and a signed-in operator's button does.
/// </summary>
public sealed class AcknowledgePageTests : IAsyncLifetime
{
    private readonly PageWithNotificationsStub _page = new();

    public Task InitializeAsync() => _page.InitializeAsync();

    public Task DisposeAsync() => _page.DisposeAsync();

    [Fact]
    public async Task The_link_shows_the_alert_and_a_form_and_acknowledges_nothing()
    {
        using var client = OperationsPageClient.Create(_page.App);

        using var response = await client.GetAsync($"/ack/{NotificationServiceStub.GoodToken}");
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("data-acknowledge-state=\"confirm\"", html, StringComparison.Ordinal);
        Assert.Contains("Scheduled Job Failed - Weekly Provider Payment Report", html, StringComparison.Ordinal);
        Assert.Contains($"<form method=\"post\" action=\"/ack/{NotificationServiceStub.GoodToken}\"", html, StringComparison.Ordinal);
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
        Assert.Empty(_page.Notifications.Acknowledgements);
    }

    [Fact]
    public async Task Posting_the_form_acknowledges_once_and_a_second_time_says_who_did_it()
    {
        using var client = OperationsPageClient.Create(_page.App);
        var path = $"/ack/{NotificationServiceStub.GoodToken}";

        // The confirmation page left open in two tabs: both forms are posted.
        var antiforgery = OperationsPageClient.AntiforgeryToken(await client.GetStringAsync(path));
        using var first = await client.PostAsync(path, PageWithNotificationsStub.Form(antiforgery));
        using var second = await client.PostAsync(path, PageWithNotificationsStub.Form(antiforgery));
        var afterwards = await client.GetStringAsync(path);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Contains("data-acknowledge-state=\"acknowledged\"", await first.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Contains("already acknowledged by a recipient of the email (acknowledge link) at 2026-01-05 09:10:00 UTC",
            await second.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("Already acknowledged by a recipient of the email (acknowledge link) at 2026-01-05 09:10:00 UTC.", afterwards, StringComparison.Ordinal);
        Assert.Equal([$"token:{NotificationServiceStub.GoodToken}", $"token:{NotificationServiceStub.GoodToken}"], _page.Notifications.Acknowledgements);
    }

    [Fact]
    public async Task A_post_without_the_forms_antiforgery_token_is_refused()
    {
        using var client = OperationsPageClient.Create(_page.App);

        using var response = await client.PostAsync($"/ack/{NotificationServiceStub.GoodToken}", new FormUrlEncodedContent([]));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(_page.Notifications.Acknowledgements);
    }

    [Fact]
    public async Task A_bad_link_gets_a_page_that_says_so()
    {
        using var client = OperationsPageClient.Create(_page.App);

        using var response = await client.GetAsync("/ack/forged");
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Invalid link", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<form method=\"post\" action=\"/ack/", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_signed_in_operator_acknowledges_with_the_alerts_button_and_the_page_shows_it()
    {
        using var client = OperationsPageClient.Create(_page.App);
        using var signedIn = await OperationsPageClient.SignInAsync(client, SchedulerApp.OperatorKey, "/");
        var overview = await client.GetStringAsync("/");
        Assert.Contains("Unacknowledged · 1 reminder sent", overview, StringComparison.Ordinal);
        Assert.Contains($"action=\"/ops/alerts/{NotificationServiceStub.AlertId}/acknowledge\"", overview, StringComparison.Ordinal);

        using var response = await client.PostAsync($"/ops/alerts/{NotificationServiceStub.AlertId}/acknowledge",
            PageWithNotificationsStub.Form(OperationsPageClient.AntiforgeryToken(overview), ("returnUrl", "/")));
        var after = await client.GetStringAsync("/?done=acknowledged");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/?done=acknowledged#alerts-panel", response.Headers.Location?.OriginalString);
        Assert.Equal([$"id:{NotificationServiceStub.AlertId}:operator"], _page.Notifications.Acknowledgements);
        Assert.Contains("Alert acknowledged: its reminders stop.", after, StringComparison.Ordinal);
        Assert.Contains("Acknowledged by operator (operations page) at 2026-01-05 09:10:00 UTC", after, StringComparison.Ordinal);
        Assert.DoesNotContain($"action=\"/ops/alerts/{NotificationServiceStub.AlertId}/acknowledge\"", after, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_button_needs_a_signed_in_operator()
    {
        using var client = _page.App.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://localhost"), AllowAutoRedirect = false });
        var antiforgery = OperationsPageClient.AntiforgeryToken(await client.GetStringAsync("/signin"));

        using var response = await client.PostAsync($"/ops/alerts/{NotificationServiceStub.AlertId}/acknowledge", PageWithNotificationsStub.Form(antiforgery, ("returnUrl", "/")));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("https://localhost/signin", response.Headers.Location?.ToString(), StringComparison.Ordinal);
        Assert.Empty(_page.Notifications.Acknowledgements);
    }

    [Fact]
    public async Task Opening_links_is_limited_per_address_with_429_and_retry_after()
    {
        await using var limited = new SchedulerApp(_page.SimulatorAddress, new Dictionary<string, string?>
        {
            ["Operations:NotificationsBaseAddress"] = _page.Notifications.BaseAddress.ToString(),
            ["Operations:NotificationsApiKey"] = PageWithNotificationsStub.DefaultPageKey,
            ["Operations:AcknowledgeLinkRequestsPerMinute"] = "2",
        });
        using var client = OperationsPageClient.Create(limited);
        var path = $"/ack/{NotificationServiceStub.GoodToken}";

        var antiforgery = OperationsPageClient.AntiforgeryToken(await client.GetStringAsync(path));
        using var second = await client.PostAsync("/ack/forged", PageWithNotificationsStub.Form(antiforgery));
        using var third = await client.PostAsync(path, PageWithNotificationsStub.Form(antiforgery));
        using var fourth = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.BadRequest, second.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, third.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, fourth.StatusCode);
        Assert.InRange(int.Parse(third.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture), 1, 60);
        Assert.Contains("Too many acknowledge links", await third.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(["token:forged"], _page.Notifications.Acknowledgements);
        // The sign-in has its own limit: the page still lets an operator sign in.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/signin")).StatusCode);
    }
}
