using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;

namespace SurgiCase.SchedulerService.Tests;

/// <summary>A browser-like client of the operations page: https (Secure cookies), cookies kept, redirects not followed.</summary>
internal static partial class OperationsPageClient
{
    public static HttpClient Create(SchedulerApp app) =>
        app.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://localhost"), AllowAutoRedirect = false });

    /// <summary>Reads the sign-in form for its antiforgery token, then posts the key.</summary>
    public static async Task<HttpResponseMessage> SignInAsync(HttpClient client, string key, string returnUrl)
    {
        var token = AntiforgeryToken(await client.GetStringAsync("/signin"));
        return await PostSignInAsync(client, token, key, returnUrl);
    }

    public static Task<HttpResponseMessage> PostSignInAsync(HttpClient client, string token, string key, string returnUrl) =>
        client.PostAsync("/signin", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__af"] = token,
            ["key"] = key,
            ["returnUrl"] = returnUrl,
        }));

    public static string AntiforgeryToken(string html) =>
        WebUtility.HtmlDecode(AntiforgeryField().Match(html) is { Success: true } m ? m.Groups[1].Value : throw new Xunit.Sdk.XunitException("no antiforgery field"));

    [GeneratedRegex("name=\"__af\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
