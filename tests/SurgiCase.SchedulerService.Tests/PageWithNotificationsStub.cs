using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace SurgiCase.SchedulerService.Tests;

/// <summary>
/// The operations page (the scheduler, its jobs against the simulator) in front of <see cref="NotificationServiceStub"/>,
/// reached with the page's own key: the host the tests of the page's alert and dead-letter buttons share.
/// </summary>
public sealed class PageWithNotificationsStub(string pageKey = PageWithNotificationsStub.DefaultPageKey, Action<IServiceCollection>? services = null)
    : IAsyncLifetime
{
    public const string DefaultPageKey = "operations-page-test-key-0123456789abcdef";
    private readonly SimulatorHost _simulator = new();

    public NotificationServiceStub Notifications { get; } = new(pageKey);

    public SchedulerApp App { get; private set; } = null!;

    /// <summary>The simulator the jobs call, for a test that starts a page of its own.</summary>
    public Uri SimulatorAddress => _simulator.BaseAddress;

    /// <summary>A button's form post: the antiforgery field and any others.</summary>
    public static FormUrlEncodedContent Form(string antiforgery, params (string Key, string Value)[] fields) =>
        new(fields.Append(("__af", antiforgery)).ToDictionary(f => f.Item1, f => f.Item2));

    /// <summary>
    /// A button's post is refused without a session (sent to sign in) and, signed in, without the antiforgery token (400).
    /// The caller then checks that the stub was not called.
    /// </summary>
    public async Task AssertButtonNeedsSignInAndAntiforgeryAsync(string path)
    {
        using var anonymous = App.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://localhost"), AllowAutoRedirect = false });
        var antiforgery = OperationsPageClient.AntiforgeryToken(await anonymous.GetStringAsync("/signin"));
        using var notSignedIn = await anonymous.PostAsync(path, Form(antiforgery));

        using var client = OperationsPageClient.Create(App);
        using var signedIn = await OperationsPageClient.SignInAsync(client, SchedulerApp.OperatorKey, "/");
        using var withoutToken = await client.PostAsync(path, new FormUrlEncodedContent([]));

        Assert.Equal(HttpStatusCode.Redirect, notSignedIn.StatusCode);
        Assert.StartsWith("https://localhost/signin", notSignedIn.Headers.Location?.ToString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, withoutToken.StatusCode);
    }

    public async Task InitializeAsync()
    {
        await _simulator.InitializeAsync();
        await Notifications.InitializeAsync();
        App = new SchedulerApp(_simulator.BaseAddress, new Dictionary<string, string?>
        {
            ["Operations:NotificationsBaseAddress"] = Notifications.BaseAddress.ToString(),
            ["Operations:NotificationsApiKey"] = pageKey,
        }, services);
    }

    public async Task DisposeAsync()
    {
        await App.DisposeAsync();
        await Notifications.DisposeAsync();
        await _simulator.DisposeAsync();
    }
}
