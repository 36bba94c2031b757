using System.Net;
using Microsoft.AspNetCore.Hosting;
using SurgiCase.Testing;

namespace SurgiCase.SchedulerService.Tests;

/// <summary>docs/api/scheduler.json is the document the service serves in Development, and nothing is served elsewhere.</summary>
public sealed class OpenApiDocumentTests
{
    // No job runs in these tests: the API address is never called.
    private static readonly Uri UnusedApi = new("http://127.0.0.1:9/");

    [Fact]
    public async Task The_checked_in_OpenApi_document_matches_the_code()
    {
        await using var app = new SchedulerApp(UnusedApi);
        await using var development = app.WithWebHostBuilder(web => web.UseEnvironment("Development"));

        await OpenApiDocumentCheck.AssertMatchesCheckedInAsync(development.CreateClient(), "scheduler.json", "SurgiCase.SchedulerService.Tests");
    }

    [Fact]
    public async Task The_OpenApi_document_is_served_in_Development_only()
    {
        await using var app = new SchedulerApp(UnusedApi);

        using var response = await app.CreateClient().GetAsync(OpenApiDocumentCheck.DocumentPath);

        // Not there: a 404, or a 401 where every unknown path needs a key first.
        Assert.Contains(response.StatusCode, new[] { HttpStatusCode.NotFound, HttpStatusCode.Unauthorized });
    }
}
