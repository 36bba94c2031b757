using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace SurgiCase.Aws;

/// <summary>Secrets Manager over its JSON 1.1 protocol: every operation is <c>POST /</c> named by <c>X-Amz-Target</c>.</summary>
internal sealed class SecretsManagerClient(HttpClient http, ILogger<SecretsManagerClient> logger) : ISecretsManagerClient
{
    public const string ServiceName = AwsServiceNames.SecretsManager;
    private static readonly MediaTypeHeaderValue AmzJson11 = new("application/x-amz-json-1.1");

    public Task<SecretValue> GetSecretValueAsync(string secretId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(secretId);

        return AwsCall.SendAsync(
            http,
            logger,
            ServiceName,
            "GetSecretValue",
            isRead: true,
            () => CreateRequest("GetSecretValue", JsonSerializer.SerializeToUtf8Bytes(new GetSecretValueRequest(secretId), AwsWireJson.Default.GetSecretValueRequest)),
            async (content, ct) =>
            {
                var response = await content.ReadFromJsonAsync(AwsWireJson.Default.GetSecretValueResponse, ct).ConfigureAwait(false);
                return response is null
                    ? null
                    : new SecretValue(
                        response.Name ?? secretId,
                        response.SecretString,
                        response.VersionId ?? "",
                        response.CreatedDate is { } seconds ? DateTimeOffset.FromUnixTimeMilliseconds((long)(seconds * 1000)) : null);
            },
            // The name is not secret and makes a failed lookup findable; the value never becomes a tag.
            activity => activity.SetTag("aws.secretsmanager.secret_id", secretId),
            cancellationToken);
    }

    private static HttpRequestMessage CreateRequest(string operation, byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = AmzJson11;
        var request = new HttpRequestMessage(HttpMethod.Post, "/") { Content = content };
        request.Headers.TryAddWithoutValidation("X-Amz-Target", $"secretsmanager.{operation}");
        return request;
    }
}
