using System.Net.Http.Json;

namespace SurgiCase.Testing;

/// <summary>
/// Sets up state in a moto for tests. moto picks the emulated service from the credential scope of the
/// Authorization header and does not check signatures (outside auth mode), so a dummy header is enough.
/// </summary>
public static class MotoAdmin
{
    public static async Task CreateSecretAsync(HttpClient http, Uri motoUrl, string name, string value)
    {
        using var request = Request(motoUrl, "secretsmanager", new { Name = name, SecretString = value });
        request.Headers.Add("X-Amz-Target", "secretsmanager.CreateSecret");
        request.Content!.Headers.ContentType = new("application/x-amz-json-1.1");
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
    }

    public static async Task<string> GetSecretStringAsync(HttpClient http, Uri motoUrl, string name)
    {
        using var request = Request(motoUrl, "secretsmanager", new { SecretId = name });
        request.Headers.Add("X-Amz-Target", "secretsmanager.GetSecretValue");
        request.Content!.Headers.ContentType = new("application/x-amz-json-1.1");
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<System.Text.Json.Nodes.JsonObject>();
        return body!["SecretString"]!.GetValue<string>();
    }

    /// <summary>Messages in a queue, visible or in flight (SQS's approximate counts, exact on moto).</summary>
    public static async Task<int> GetQueueMessageCountAsync(HttpClient http, Uri motoUrl, string queueName)
    {
        var queueUrl = (await SqsAsync(http, motoUrl, "GetQueueUrl", new { QueueName = queueName }))["QueueUrl"]!.GetValue<string>();
        var attributes = (await SqsAsync(http, motoUrl, "GetQueueAttributes", new
        {
            QueueUrl = queueUrl,
            AttributeNames = new[] { "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible" },
        }))["Attributes"]!;
        return int.Parse(attributes["ApproximateNumberOfMessages"]!.GetValue<string>())
            + int.Parse(attributes["ApproximateNumberOfMessagesNotVisible"]!.GetValue<string>());
    }

    private static async Task<System.Text.Json.Nodes.JsonObject> SqsAsync(HttpClient http, Uri motoUrl, string action, object body)
    {
        using var request = Request(motoUrl, "sqs", body);
        request.Headers.Add("X-Amz-Target", $"AmazonSQS.{action}");
        request.Content!.Headers.ContentType = new("application/x-amz-json-1.0");
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<System.Text.Json.Nodes.JsonObject>())!;
    }

    public static async Task VerifyEmailIdentityAsync(HttpClient http, Uri motoUrl, string address)
    {
        using var request = Request(new Uri(motoUrl, "/v2/email/identities"), "ses", new { EmailIdentity = address });
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
    }

    public static string DummyAuthorization(string service) =>
        $"AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/{service}/aws4_request, SignedHeaders=host, Signature=00";

    private static HttpRequestMessage Request(Uri url, string service, object body)
    {
        // AWS JSON protocols use PascalCase member names, unlike JsonContent's web defaults.
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(body, options: new System.Text.Json.JsonSerializerOptions()) };
        request.Headers.TryAddWithoutValidation("Authorization", DummyAuthorization(service));
        return request;
    }
}
