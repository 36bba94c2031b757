extern alias idp;

using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using IdentityProviderHost = idp::SurgiCase.IdentityProvider.IdentityProviderExtensions;

namespace SurgiCase.SchedulerService.Tests.SingleSignOn;

/// <summary>
/// SurgiCase.IdentityProvider (OpenIddict) on real Kestrel at a free loopback port, with three people: Olivia (operator),
/// Victor (viewer) and Nora (no role). A person signs in through it as a browser would: the page's redirect to the
/// provider, its login form, the code back to the page's /signin-oidc, where the page redeems it over real HTTP.
/// </summary>
internal sealed partial class LocalIdentityProvider : IAsyncDisposable
{
    public const string ClientSecret = "client-secret-of-this-test-0123456789";
    public const string Password = "password-of-this-test";

    private readonly WebApplication _app;

    private LocalIdentityProvider(WebApplication app, Uri authority) => (_app, Authority) = (app, authority);

    public Uri Authority { get; }

    /// <param name="pageAddress">The operations page as the browser sees it (the redirect URI is its /signin-oidc).</param>
    public static async Task<LocalIdentityProvider> StartAsync(Uri pageAddress)
    {
        var (app, address) = await LoopbackKestrel.StartAsync(builder =>
        {
            builder.Environment.EnvironmentName = "Development";
            // Every person in full: the test's output folder holds one appsettings.json, the provider's or the
            // scheduler's, whichever project the build copied last, so nothing may come from it.
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["IdentityProvider:ClientId"] = "surgicase-operations",
                ["IdentityProvider:ClientSecret"] = ClientSecret,
                ["IdentityProvider:RedirectUri"] = new Uri(pageAddress, "/signin-oidc").ToString(),
                ["IdentityProvider:People:olivia:Name"] = "Olivia Operator",
                ["IdentityProvider:People:olivia:Email"] = "olivia@surgicase.local",
                ["IdentityProvider:People:olivia:Roles:0"] = "operator",
                ["IdentityProvider:People:olivia:Password"] = Password,
                ["IdentityProvider:People:victor:Name"] = "Victor Viewer",
                ["IdentityProvider:People:victor:Email"] = "victor@surgicase.local",
                ["IdentityProvider:People:victor:Roles:0"] = "viewer",
                ["IdentityProvider:People:victor:Password"] = Password,
                ["IdentityProvider:People:nora:Name"] = "Nora Noone",
                ["IdentityProvider:People:nora:Password"] = Password,
            });
            IdentityProviderHost.AddIdentityProvider(builder);
        }, app => IdentityProviderHost.UseIdentityProvider(app));
        return new LocalIdentityProvider(app, address);
    }

    /// <summary>The operations page's settings for this provider.</summary>
    public IEnumerable<KeyValuePair<string, string?>> PageSettings() => new Dictionary<string, string?>
    {
        ["Operations:Oidc:Authority"] = Authority.ToString(),
        ["Operations:Oidc:ClientId"] = "surgicase-operations",
        ["Operations:Oidc:ClientSecret"] = ClientSecret,
        ["Operations:Oidc:Scopes"] = "openid profile email roles",
        ["Operations:Oidc:RoleClaim"] = "role",
        ["Operations:Oidc:RequireHttpsMetadata"] = "false",
        ["Operations:BreakGlassKeySignIn"] = "false",
    };

    /// <summary>
    /// Signs <paramref name="userName"/> in on <paramref name="page"/> (a client of the page that keeps cookies and does
    /// not follow redirects); returns the page's answer to the code coming back.
    /// </summary>
    public async Task<HttpResponseMessage> SignInAsync(HttpClient page, string userName, string password = Password)
    {
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() }) { BaseAddress = Authority };
        using var start = await page.GetAsync("/signin/sso?returnUrl=%2F");
        Assert.Equal(HttpStatusCode.Redirect, start.StatusCode);
        var authorize = start.Headers.Location!;
        Assert.StartsWith(Authority.ToString().TrimEnd('/') + "/connect/authorize", authorize.ToString(), StringComparison.Ordinal);
        Assert.Contains("code_challenge=", authorize.Query, StringComparison.Ordinal);

        using var toLogin = await browser.GetAsync(authorize);
        var loginForm = await browser.GetStringAsync(toLogin.Headers.Location);
        using var loggedIn = await browser.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = Field(loginForm, "__RequestVerificationToken"),
            ["returnUrl"] = Field(loginForm, "returnUrl"),
            ["userName"] = userName,
            ["password"] = password,
        }));
        Assert.Equal(HttpStatusCode.Redirect, loggedIn.StatusCode);
        using var code = await browser.GetAsync(loggedIn.Headers.Location);
        Assert.Equal(HttpStatusCode.Redirect, code.StatusCode);
        var callback = code.Headers.Location!;
        Assert.Equal("/signin-oidc", callback.AbsolutePath);
        return await page.GetAsync(callback.PathAndQuery);
    }

    private static string Field(string html, string name) =>
        WebUtility.HtmlDecode(Regex.Match(html, $"name=\"{Regex.Escape(name)}\" value=\"([^\"]*)\"") is { Success: true } m
            ? m.Groups[1].Value
            : throw new Xunit.Sdk.XunitException($"no {name} field in the login form"));

    public async ValueTask DisposeAsync() => await LoopbackKestrel.StopAsync(_app);
}
