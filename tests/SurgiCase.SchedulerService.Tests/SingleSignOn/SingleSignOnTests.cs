using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using static SurgiCase.SchedulerService.Tests.OperationsPageClient;

namespace SurgiCase.SchedulerService.Tests.SingleSignOn;

/// <summary>
/// The operations page behind single sign-on with the real local provider: roles from the id_token's role claim, a
/// viewer refused the actions (403), a person's name and subject on what they do (page and JSON API), and sign-out that
/// ends every copy of the session cookie.
/// </summary>
public sealed class SingleSignOnTests : IAsyncLifetime
{
    private const string JobId = "sso-probe";
    private const string Olivia = "Olivia Operator [olivia]";
    private static readonly Uri PageAddress = new("http://localhost");

    private readonly SimulatorHost _simulator = new();
    private LocalIdentityProvider _provider = null!;

    public async Task InitializeAsync()
    {
        await _simulator.InitializeAsync();
        _provider = await LocalIdentityProvider.StartAsync(PageAddress);
    }

    public async Task DisposeAsync()
    {
        await _provider.DisposeAsync();
        await _simulator.DisposeAsync();
    }

    // Development: the local provider speaks plain http, which the page accepts as an authority only there.
    private SchedulerApp NewApp() =>
        new(_simulator.BaseAddress, _provider.PageSettings().Concat(SchedulerApp.Job(7, JobId, "/api/reports/referral")))
        {
            EnvironmentName = "Development",
        };

    private static HttpClient Browser(SchedulerApp app) =>
        app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { BaseAddress = PageAddress, AllowAutoRedirect = false });

    [Fact]
    public async Task An_operator_runs_and_pauses_a_job_and_both_carry_her_name_and_subject()
    {
        using var app = NewApp();
        using var page = Browser(app);
        using (var signedIn = await _provider.SignInAsync(page, "olivia"))
        {
            Assert.True(signedIn.StatusCode == HttpStatusCode.Redirect, await signedIn.Content.ReadAsStringAsync());
            Assert.Equal("/", signedIn.Headers.Location?.OriginalString);
        }

        var overview = await page.GetStringAsync("/");
        Assert.Contains("Olivia Operator", overview, StringComparison.Ordinal);
        Assert.Contains("data-action=\"run\"", overview, StringComparison.Ordinal);
        using (var run = await PostAsync(page, $"/ops/jobs/{JobId}/run", overview))
        {
            Assert.Equal(HttpStatusCode.Redirect, run.StatusCode);
        }

        using (var pause = await PostAsync(page, $"/ops/jobs/{JobId}/pause", overview))
        {
            Assert.Equal(HttpStatusCode.Redirect, pause.StatusCode);
        }

        using var api = app.CreateOperatorClient();
        var runs = await api.GetFromJsonAsync<JsonArray>($"/jobs/{JobId}/runs?limit=1");
        Assert.Equal(Olivia, runs![0]!["requestedBy"]!.GetValue<string>());
        var job = await api.GetFromJsonAsync<JsonObject>($"/jobs/{JobId}");
        Assert.Equal(Olivia, job!["pausedBy"]!.GetValue<string>());
        Assert.Equal(Olivia, job["recentActions"]![0]!["actor"]!.GetValue<string>());
        Assert.Contains("manual by " + Olivia, await page.GetStringAsync("/"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_viewer_reads_the_page_but_gets_403_on_every_action()
    {
        using var app = NewApp();
        using var page = Browser(app);
        (await _provider.SignInAsync(page, "victor")).Dispose();

        var overview = await page.GetStringAsync("/");
        Assert.Contains("Victor Viewer", overview, StringComparison.Ordinal);
        Assert.DoesNotContain("data-action=\"run\"", overview, StringComparison.Ordinal);
        Assert.DoesNotContain("data-action=\"test-alert\"", overview, StringComparison.Ordinal);
        using (var history = await page.GetAsync($"/ops/jobs/{JobId}"))
        {
            Assert.Equal(HttpStatusCode.OK, history.StatusCode);
        }

        foreach (var action in new[] { "run", "pause", "resume" })
        {
            using var refused = await PostAsync(page, $"/ops/jobs/{JobId}/{action}", overview);
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        }

        foreach (var path in new[] { "/ops/alerts/1/acknowledge", "/ops/alerts/test", "/ops/dead-letters/replay-all" })
        {
            using var refused = await PostAsync(page, path, overview);
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        }

        using var api = app.CreateOperatorClient();
        Assert.Empty((await api.GetFromJsonAsync<JsonArray>($"/jobs/{JobId}/runs?limit=1"))!);
    }

    [Fact]
    public async Task A_person_with_neither_role_gets_no_session()
    {
        using var app = NewApp();
        using var page = Browser(app);

        using var refused = await _provider.SignInAsync(page, "nora");

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.DoesNotContain(refused.Headers.TryGetValues("Set-Cookie", out var cookies) ? cookies : [], c => c.StartsWith("surgicase-operations=", StringComparison.Ordinal));
        using var overview = await page.GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, overview.StatusCode);
    }

    [Fact]
    public async Task After_sign_out_a_copy_of_the_session_cookie_no_longer_works()
    {
        using var app = NewApp();
        using var page = Browser(app);
        using var signedIn = await _provider.SignInAsync(page, "olivia");
        var session = Sessions.SetCookies.Get(signedIn, "surgicase-operations");
        using var thief = Browser(app);
        thief.DefaultRequestHeaders.Add("Cookie", session);
        using (var before = await thief.GetAsync("/"))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        using (var signOut = await PostAsync(page, "/signout", await page.GetStringAsync("/")))
        {
            Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        }

        using var after = await thief.GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        Assert.Contains("/signin?", after.Headers.Location?.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Key_sign_in_is_off_when_break_glass_is_not_set()
    {
        using var app = NewApp();
        using var page = Browser(app);

        using var form = await page.GetAsync("/signin");
        Assert.Equal(HttpStatusCode.Redirect, form.StatusCode);
        Assert.StartsWith("/signin/sso", form.Headers.Location?.OriginalString, StringComparison.Ordinal);
        using var key = await PostSignInAsync(page, "any", SchedulerApp.OperatorKey, "/");
        Assert.Equal(HttpStatusCode.NotFound, key.StatusCode);
    }

    private static Task<HttpResponseMessage> PostAsync(HttpClient page, string path, string html) =>
        page.PostAsync(path, new FormUrlEncodedContent(new Dictionary<string, string> { ["__af"] = AntiforgeryToken(html), ["returnUrl"] = "/" }));
}
