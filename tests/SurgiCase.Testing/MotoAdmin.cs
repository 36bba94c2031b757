using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Amazon.Runtime;
using Amazon.SQS;
using Amazon.SQS.Model;

namespace SurgiCase.Testing;

/// <summary>
/// Sets up and reads back state in a moto: ours (<see cref="MotoServer"/>) or the AppHost's (any URL). Deliberately not
/// through the clients under test, so a bug in them cannot make its own fixture look right: moto picks the emulated
/// service from the credential scope of the Authorization header and, outside its auth mode, checks no signature, so
/// a dummy header is enough. Every secret value written is handed to <see cref="SeededSecrets"/>, so a leak check can
/// look for it.
/// </summary>
public static class MotoAdmin
{
    // AWS JSON protocols use PascalCase member names, unlike JsonContent's web defaults.
    private static readonly JsonSerializerOptions AwsJson = new();

    public static Task CreateSecretAsync(this MotoServer moto, string name, string value) => CreateSecretAsync(moto.Http, moto.Url, name, value);

    public static async Task CreateSecretAsync(HttpClient http, Uri motoUrl, string name, string value)
    {
        SeededSecrets.Add(value);
        await SecretsManagerAsync(http, motoUrl, "CreateSecret", new { Name = name, SecretString = value });
    }

    public static async Task PutSecretValueAsync(this MotoServer moto, string name, string value)
    {
        SeededSecrets.Add(value);
        await SecretsManagerAsync(moto.Http, moto.Url, "PutSecretValue", new { SecretId = name, SecretString = value });
    }

    /// <summary>A new value for a secret in any moto (the AppHost's too); returns its version id.</summary>
    public static async Task<string> PutSecretValueAsync(HttpClient http, Uri motoUrl, string name, string value)
    {
        SeededSecrets.Add(value);
        return (await SecretsManagerAsync(http, motoUrl, "PutSecretValue", new { SecretId = name, SecretString = value }))["VersionId"]!.GetValue<string>();
    }

    public static Task DeleteSecretAsync(this MotoServer moto, string name) =>
        SecretsManagerAsync(moto.Http, moto.Url, "DeleteSecret", new { SecretId = name, ForceDeleteWithoutRecovery = true });

    public static async Task<string> GetSecretStringAsync(HttpClient http, Uri motoUrl, string name) =>
        (await SecretsManagerAsync(http, motoUrl, "GetSecretValue", new { SecretId = name }))["SecretString"]!.GetValue<string>();

    /// <summary>SES v2 answers <c>MessageRejected</c> until the sender is a verified identity.</summary>
    public static Task VerifyEmailIdentityAsync(this MotoServer moto, string address) => VerifyEmailIdentityAsync(moto.Http, moto.Url, address);

    public static async Task VerifyEmailIdentityAsync(HttpClient http, Uri motoUrl, string address)
    {
        using var request = Request(new Uri(motoUrl, "/v2/email/identities"), "ses", JsonContent.Create(new { EmailIdentity = address }, options: AwsJson));
        using var response = await http.SendAsync(request);
        await EnsureSuccessAsync(response, "CreateEmailIdentity");
    }

    /// <summary>IAM Query API (form-encoded). Returns the response XML.</summary>
    public static async Task<XDocument> IamAsync(this MotoServer moto, string action, IDictionary<string, string> parameters)
    {
        var form = new Dictionary<string, string>(parameters) { ["Action"] = action, ["Version"] = "2010-05-08" };
        using var request = Request(moto.Url, "iam", new FormUrlEncodedContent(form));
        using var response = await moto.Http.SendAsync(request);
        await EnsureSuccessAsync(response, action);
        return XDocument.Parse(await response.Content.ReadAsStringAsync());
    }

    /// <summary>From now on moto checks every signature (body "0" = zero unauthenticated actions left).</summary>
    public static async Task EnableAuthAsync(this MotoServer moto)
    {
        using var response = await moto.Http.PostAsync(new Uri(moto.Url, "/moto-api/reset-auth"), new StringContent("0"));
        await EnsureSuccessAsync(response, "reset-auth");
    }

    /// <summary>An SDK client for moto's SQS, for tests that read queues the way a consumer does.</summary>
    public static IAmazonSQS Sqs(this MotoServer moto) =>
        new AmazonSQSClient(new BasicAWSCredentials("test", "test"), new AmazonSQSConfig { ServiceURL = moto.Url.ToString(), AuthenticationRegion = "us-east-1" });

    public static async Task CreateQueueAsync(this MotoServer moto, string queueName)
    {
        using var sqs = moto.Sqs();
        await sqs.CreateQueueAsync(queueName);
    }

    /// <summary>Every message now in the queue (moto's queues are small; one pass of receives is enough).</summary>
    public static async Task<List<Message>> DrainQueueAsync(this MotoServer moto, string queueName)
    {
        using var sqs = moto.Sqs();
        var url = (await sqs.GetQueueUrlAsync(queueName)).QueueUrl;
        var all = new List<Message>();
        while (true)
        {
            var batch = await sqs.ReceiveMessageAsync(new ReceiveMessageRequest { QueueUrl = url, MaxNumberOfMessages = 10, WaitTimeSeconds = 0, MessageAttributeNames = ["All"] });
            if (batch.Messages is not { Count: > 0 })
            {
                return all;
            }

            all.AddRange(batch.Messages);
        }
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

    /// <summary>The emails SES accepted, from moto's backend state (<c>GET /moto-api/data.json</c>).</summary>
    public static async Task<IReadOnlyList<SentEmail>> GetSentEmailsAsync(HttpClient http, Uri motoUrl)
    {
        var json = await http.GetStringAsync(new Uri(motoUrl, "/moto-api/data.json"));
        var messages = JsonNode.Parse(json)?["ses"]?["Message"]?.AsArray();
        if (messages is null)
        {
            return [];
        }

        return messages.OfType<JsonNode>()
            .Select(message => new SentEmail(
                message["source"]?.GetValue<string>() ?? "",
                message["destinations"]?["ToAddresses"]?.AsArray().Select(a => a!.GetValue<string>()).ToList() ?? [],
                message["subject"]?.GetValue<string>() ?? "",
                message["body"]?.GetValue<string>() ?? "",
                message.ToJsonString()))
            .ToList();
    }

    public static string DummyAuthorization(string service) =>
        $"AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/{service}/aws4_request, SignedHeaders=host, Signature=00";

    private static Task<JsonObject> SecretsManagerAsync(HttpClient http, Uri motoUrl, string action, object body) =>
        JsonCallAsync(http, motoUrl, "secretsmanager", $"secretsmanager.{action}", "application/x-amz-json-1.1", body);

    private static Task<JsonObject> SqsAsync(HttpClient http, Uri motoUrl, string action, object body) =>
        JsonCallAsync(http, motoUrl, "sqs", $"AmazonSQS.{action}", "application/x-amz-json-1.0", body);

    private static async Task<JsonObject> JsonCallAsync(HttpClient http, Uri motoUrl, string service, string target, string contentType, object body)
    {
        using var request = Request(motoUrl, service, JsonContent.Create(body, new System.Net.Http.Headers.MediaTypeHeaderValue(contentType), AwsJson));
        request.Headers.Add("X-Amz-Target", target);
        using var response = await http.SendAsync(request);
        await EnsureSuccessAsync(response, target);
        var text = await response.Content.ReadAsStringAsync();
        return text.Length == 0 ? [] : JsonNode.Parse(text) as JsonObject ?? [];
    }

    private static HttpRequestMessage Request(Uri url, string service, HttpContent content)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = content };
        request.Headers.TryAddWithoutValidation("Authorization", DummyAuthorization(service));
        return request;
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, string action)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"moto {action} failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }
}

/// <summary>One email as moto recorded it; <see cref="Body"/> is the HTML part.</summary>
public sealed record SentEmail(string Source, IReadOnlyList<string> To, string Subject, string Body, string RawJson);
