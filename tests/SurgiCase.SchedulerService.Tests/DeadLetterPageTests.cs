using System.Net;

namespace SurgiCase.SchedulerService.Tests;

/// <summary>
/// The operations page's dead-letter panel (issue 19.4): it lists what NotificationService reports, and its Replay and
/// Replay all buttons post with the antiforgery token, name the signed-in person, and need a signed-in operator, like the
/// alerts' Acknowledge button. The replay itself is NotificationService's (its DeadLetterReplayTests, on moto).
/// </summary>
public sealed class DeadLetterPageTests : IAsyncLifetime
{
    private readonly PageWithNotificationsStub _page = new();

    public Task InitializeAsync() => _page.InitializeAsync();

    public Task DisposeAsync() => _page.DisposeAsync();

    [Fact]
    public async Task The_panel_lists_the_dead_letter_and_its_buttons_replay_in_the_operators_name()
    {
        using var client = OperationsPageClient.Create(_page.App);
        using var signedIn = await OperationsPageClient.SignInAsync(client, SchedulerApp.OperatorKey, "/");
        var overview = await client.GetStringAsync("/");
        Assert.Contains($"data-dead-letter=\"{NotificationServiceStub.DeadLetterMessageId}\"", overview, StringComparison.Ordinal);
        Assert.Contains("email failed (SES MessageRejected (400)); alert sent to the fallback webhook", overview, StringComparison.Ordinal);
        var antiforgery = OperationsPageClient.AntiforgeryToken(overview);

        using var one = await client.PostAsync($"/ops/dead-letters/{NotificationServiceStub.DeadLetterMessageId}/replay", PageWithNotificationsStub.Form(antiforgery));
        using var all = await client.PostAsync("/ops/dead-letters/replay-all", PageWithNotificationsStub.Form(antiforgery));
        var after = await client.GetStringAsync("/?done=replayed-all");

        Assert.Equal(HttpStatusCode.Redirect, one.StatusCode);
        Assert.Equal("/?done=replayed#dead-letters-panel", one.Headers.Location?.OriginalString);
        Assert.Equal("/?done=replayed-all#dead-letters-panel", all.Headers.Location?.OriginalString);
        Assert.Equal([$"replay:{NotificationServiceStub.DeadLetterMessageId}:operator", "replay-all:operator"], _page.Notifications.Replays);
        Assert.Contains("Dead letters replayed: they are back in the job-events queue", after, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_message_gone_already_gets_the_services_sentence()
    {
        using var client = OperationsPageClient.Create(_page.App);
        using var signedIn = await OperationsPageClient.SignInAsync(client, SchedulerApp.OperatorKey, "/");
        var antiforgery = OperationsPageClient.AntiforgeryToken(await client.GetStringAsync("/"));

        using var response = await client.PostAsync("/ops/dead-letters/gone/replay", PageWithNotificationsStub.Form(antiforgery));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("Not in the dead-letter queue", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_buttons_need_the_antiforgery_token_and_a_signed_in_operator()
    {
        await _page.AssertButtonNeedsSignInAndAntiforgeryAsync("/ops/dead-letters/replay-all");

        Assert.Empty(_page.Notifications.Replays);
    }
}
