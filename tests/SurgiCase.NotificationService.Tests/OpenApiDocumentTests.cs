using Microsoft.AspNetCore.Hosting;
using SurgiCase.Testing;

namespace SurgiCase.NotificationService.Tests;

/// <summary>docs/api/notification.json is the document the service serves in Development; that it is served in Development only is shown by the SchedulerService's tests (the wiring is shared).</summary>
[Collection(MotoCollection.Name)]
public sealed class OpenApiDocumentTests(MotoServer moto)
{
    [Fact]
    public async Task The_checked_in_OpenApi_document_matches_the_code()
    {
        using var dir = new TempDirectory();
        await using var app = NotificationApp.Create(moto, dir.Path).WithWebHostBuilder(web => web.UseEnvironment("Development"));

        await OpenApiDocumentCheck.AssertMatchesCheckedInAsync(app.CreateClient(), "notification.json", "SurgiCase.NotificationService.Tests");
    }
}
