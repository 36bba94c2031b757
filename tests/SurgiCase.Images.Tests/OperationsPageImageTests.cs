using System.Text.RegularExpressions;

namespace SurgiCase.Images.Tests;

/// <summary>The operations page and the stylesheet it links answer from the published scheduler image, not only from a build folder.</summary>
[Collection(ImageCollection.Name)]
public sealed partial class OperationsPageImageTests(ImageStack stack)
{
    [Fact]
    public async Task Scheduler_image_serves_the_sign_in_page_and_the_stylesheet_it_links()
    {
        // As behind the ALB: TLS ends there, the page's Secure cookies need the original scheme.
        var environment = await stack.EnvironmentAsync("scheduler-service", ImageStack.NewPort());
        environment["ASPNETCORE_FORWARDEDHEADERS_ENABLED"] = "true";
        await using var scheduler = await stack.Images.StartAsync("scheduler-service", environment);
        await scheduler.WaitForHealthyAsync(stack.Http, TimeSpan.FromSeconds(90));

        // The sign-in page itself: "/" would redirect there by an https:// URL, which only the ALB answers.
        using var page = await GetAsync(new Uri(scheduler.BaseAddress, "signin"));
        var html = await page.Content.ReadAsStringAsync();
        Assert.True(page.IsSuccessStatusCode, $"GET /signin answered {(int)page.StatusCode}:\n{scheduler.Tail(8)}");
        var stylesheets = Stylesheet().Matches(html).Select(m => m.Groups["href"].Value).ToList();
        Assert.NotEmpty(stylesheets);

        foreach (var href in stylesheets)
        {
            using var css = await GetAsync(new Uri(page.RequestMessage!.RequestUri!, href));
            Assert.True(css.IsSuccessStatusCode, $"{href} answered {(int)css.StatusCode}");
            Assert.Equal("text/css", css.Content.Headers.ContentType?.MediaType);
            Assert.NotEmpty(await css.Content.ReadAsStringAsync());
        }
    }

    private async Task<HttpResponseMessage> GetAsync(Uri uri)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        request.Headers.Add("X-Forwarded-Proto", "https");
        return await stack.Http.SendAsync(request);
    }

    [GeneratedRegex("""<link[^>]+rel="stylesheet"[^>]+href="(?<href>[^"]+)"|<link[^>]+href="(?<href>[^"]+)"[^>]+rel="stylesheet" """, RegexOptions.IgnoreCase)]
    private static partial Regex Stylesheet();
}
