using System.Net;

namespace SurgiCase.SchedulerService.Tests;

/// <summary>
/// The alerts panel's "Send test alert" button (issue 18): it posts with the antiforgery token, names the signed-in
/// person to NotificationService, needs a signed-in operator, and shows NotificationService's sentence when the alert
/// was not delivered. The sending itself is NotificationService's (NotificationApiTests, on moto); the whole path runs
/// in a browser on the AppHost (EndToEnd's SingleSignOnTests).
/// </summary>
public sealed class TestAlertPageTests : IAsyncLifetime
{
    private readonly PageWithNotificationsStub _page = new();

    public Task InitializeAsync() => _page.InitializeAsync();

    public Task DisposeAsync() => _page.DisposeAsync();

    [Fact]
    public async Task The_button_sends_the_test_alert_in_the_operators_name_and_says_so()
    {
        using var client = OperationsPageClient.Create(_page.App);
        using var signedIn = await OperationsPageClient.SignInAsync(client, SchedulerApp.OperatorKey, "/");
        var overview = await client.GetStringAsync("/");
        Assert.Contains("data-action=\"test-alert\"", overview, StringComparison.Ordinal);

        using var sent = await client.PostAsync("/ops/alerts/test", PageWithNotificationsStub.Form(OperationsPageClient.AntiforgeryToken(overview)));
        var after = await client.GetStringAsync("/?done=test-alert");

        Assert.Equal(HttpStatusCode.Redirect, sent.StatusCode);
        Assert.Equal("/?done=test-alert#alerts-panel", sent.Headers.Location?.OriginalString);
        Assert.Equal(["operator"], _page.Notifications.TestAlerts);
        Assert.Contains("Test alert sent: it is at the top of Recent alerts, with your name", after, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_undelivered_test_alert_gets_the_services_sentence()
    {
        using var client = OperationsPageClient.Create(_page.App);
        using var signedIn = await OperationsPageClient.SignInAsync(client, SchedulerApp.OperatorKey, "/");
        var antiforgery = OperationsPageClient.AntiforgeryToken(await client.GetStringAsync("/"));

        using var first = await client.PostAsync("/ops/alerts/test", PageWithNotificationsStub.Form(antiforgery));
        using var second = await client.PostAsync("/ops/alerts/test", PageWithNotificationsStub.Form(antiforgery));

        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        Assert.Equal(HttpStatusCode.BadGateway, second.StatusCode);
        var problem = await second.Content.ReadAsStringAsync();
        Assert.Contains("The test alert was not delivered", problem, StringComparison.Ordinal);
        Assert.Contains("SES MessageRejected (400)", problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_button_needs_the_antiforgery_token_and_a_signed_in_operator()
    {
        await _page.AssertButtonNeedsSignInAndAntiforgeryAsync("/ops/alerts/test");

        Assert.Empty(_page.Notifications.TestAlerts);
    }
}
