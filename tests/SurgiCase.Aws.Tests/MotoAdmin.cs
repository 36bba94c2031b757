using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using SurgiCase.Testing;

namespace SurgiCase.Aws.Tests;

/// <summary>
/// Unsigned raw calls that set up moto's state. Deliberately not through the clients under test,
/// so a bug in them cannot make its own fixture look right.
/// </summary>
internal static class MotoAdmin
{
    public static async Task CreateSecretAsync(this MotoServer moto, string name, string value)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, moto.Url)
        {
            Content = new StringContent(
                new JsonObject { ["Name"] = name, ["SecretString"] = value }.ToJsonString(),
                Encoding.UTF8,
                "application/x-amz-json-1.1"),
        };
        request.Headers.Add("X-Amz-Target", "secretsmanager.CreateSecret");
        request.Headers.TryAddWithoutValidation("Authorization", AuthorizationFor("secretsmanager"));
        using var response = await moto.Http.SendAsync(request);
        await EnsureSuccessAsync(response);
    }

    public static async Task VerifyEmailIdentityAsync(this MotoServer moto, string address)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(moto.Url, "/v2/email/identities"))
        {
            Content = JsonContent.Create(new JsonObject { ["EmailIdentity"] = address }),
        };
        request.Headers.TryAddWithoutValidation("Authorization", AuthorizationFor("ses"));
        using var response = await moto.Http.SendAsync(request);
        await EnsureSuccessAsync(response);
    }

    /// <summary>IAM Query API (form-encoded). Returns the response XML.</summary>
    public static async Task<XDocument> IamAsync(this MotoServer moto, string action, IDictionary<string, string> parameters)
    {
        var form = new Dictionary<string, string>(parameters) { ["Action"] = action, ["Version"] = "2010-05-08" };
        using var request = new HttpRequestMessage(HttpMethod.Post, moto.Url) { Content = new FormUrlEncodedContent(form) };
        request.Headers.TryAddWithoutValidation("Authorization", AuthorizationFor("iam"));
        using var response = await moto.Http.SendAsync(request);
        await EnsureSuccessAsync(response);
        return XDocument.Parse(await response.Content.ReadAsStringAsync());
    }

    /// <summary>From now on moto checks every signature (body "0" = zero unauthenticated actions left).</summary>
    public static async Task EnableAuthAsync(this MotoServer moto)
    {
        using var response = await moto.Http.PostAsync(new Uri(moto.Url, "/moto-api/reset-auth"), new StringContent("0"));
        await EnsureSuccessAsync(response);
    }

    // moto routes a request to a service by the credential scope of the Authorization header
    // (all services share one port); outside auth mode the signature itself is not checked.
    private static string AuthorizationFor(string service) =>
        $"AWS4-HMAC-SHA256 Credential=test/20250101/us-east-1/{service}/aws4_request, SignedHeaders=host, Signature=0";

    private static async Task EnsureSuccessAsync(HttpResponseMessage response)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"moto setup call failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }
}
