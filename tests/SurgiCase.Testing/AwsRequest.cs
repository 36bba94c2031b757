using System.Text.Json;

namespace SurgiCase.Testing;

/// <summary>One AWS request as it left the client's pipeline: signed, as AWS would see it.</summary>
public sealed record AwsRequest(HttpMethod Method, Uri Uri, IReadOnlyDictionary<string, string> Headers, string? ContentType, string Body)
{
    /// <summary>The <c>SecretId</c> of a Secrets Manager call, or empty.</summary>
    public string SecretId
    {
        get
        {
            try
            {
                return Body.Length > 0 && JsonDocument.Parse(Body).RootElement.TryGetProperty("SecretId", out var id) ? id.GetString() ?? "" : "";
            }
            catch (JsonException)
            {
                return "";
            }
        }
    }
}
