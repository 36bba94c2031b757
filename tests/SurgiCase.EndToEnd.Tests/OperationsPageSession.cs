using System.Net;
using System.Text.RegularExpressions;

namespace SurgiCase.EndToEnd.Tests;

/// <summary>The operations page read over plain HTTP: signed in with the break-glass operator key, as the AppHost allows locally.</summary>
public static partial class OperationsPageSession
{
    /// <summary>The overview page's HTML, signed in.</summary>
    public static async Task<string> SignedInOverviewAsync(SurgiCaseAppFixture fixture)
    {
        using var page = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() })
        {
            BaseAddress = fixture.App.GetEndpoint("scheduler-service", "http"),
        };
        var signIn = await page.GetStringAsync("/signin");
        using var signedIn = await page.PostAsync("/signin", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__af"] = AntiforgeryToken(signIn), ["key"] = fixture.AdminApiKey, ["returnUrl"] = "/",
        }));
        return await page.GetStringAsync("/");
    }

    /// <summary>The antiforgery token of a form in <paramref name="html"/>.</summary>
    public static string AntiforgeryToken(string html) =>
        AntiforgeryField().Match(html) is { Success: true } m ? WebUtility.HtmlDecode(m.Groups[1].Value) : throw new Xunit.Sdk.XunitException("no antiforgery field");

    [GeneratedRegex("name=\"__af\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
