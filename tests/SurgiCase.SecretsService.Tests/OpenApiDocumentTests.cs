using System.Net;
using Microsoft.AspNetCore.Hosting;
using SurgiCase.Testing;

namespace SurgiCase.SecretsService.Tests;

/// <summary>docs/api/secrets.json is the document the service serves in Development, and nothing is served elsewhere.</summary>
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

    [Fact]
    public async Task The_OpenApi_document_is_served_in_Development_only()
    {
        await using var app = new SecretsServiceApp(moto);

        using var response = await app.CreateClient().GetAsync(OpenApiDocumentCheck.DocumentPath);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
