using SurgiCase.Testing;

namespace SurgiCase.NotificationService.Tests;

[CollectionDefinition(Name)]
public sealed class MotoCollection : ICollectionFixture<MotoServer>
{
    public const string Name = "moto";
    public const string Sender = "alerts@surgicase.local";

    /// <summary>Clears moto and verifies the sender, as the AppHost does; without it SES answers MessageRejected.</summary>
    public static async Task ResetAndVerifySenderAsync(MotoServer moto)
    {
        await moto.ResetAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(moto.Url, "/v2/email/identities"))
        {
            Content = new StringContent($$"""{"EmailIdentity":"{{Sender}}"}""", System.Text.Encoding.UTF8, "application/json"),
        };

        // moto routes by the service named in the credential scope (it does not check the signature here).
        request.Headers.TryAddWithoutValidation(
            "Authorization", "AWS4-HMAC-SHA256 Credential=test/20250101/us-east-1/ses/aws4_request, SignedHeaders=host, Signature=0");
        using var response = await moto.Http.SendAsync(request);
        response.EnsureSuccessStatusCode();
    }
}
