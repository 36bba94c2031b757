using Microsoft.AspNetCore.Hosting;
using SurgiCase.Testing;

namespace SurgiCase.SecretsService.Tests;

/// <summary>docs/api/secrets.json is the document the service serves in Development; that it is served in Development only is shown by the SchedulerService's tests (the wiring is shared).</summary>
[Collection(MotoCollection.Name)]
public sealed class OpenApiDocumentTests(MotoServer moto)
{
    [Fact]
    public async Task The_checked_in_OpenApi_document_matches_the_code()
    {
        await using var app = new SecretsServiceApp(moto);
        await using var development = app.WithWebHostBuilder(web => web.UseEnvironment("Development"));

        await OpenApiDocumentCheck.AssertMatchesCheckedInAsync(development.CreateClient(), "secrets.json", "SurgiCase.SecretsService.Tests");
    }
}
