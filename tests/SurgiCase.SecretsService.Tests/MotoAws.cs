using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Amazon.SQS;
using Amazon.SQS.Model;
using SurgiCase.Aws;
using SurgiCase.Messaging;
using SurgiCase.Testing;
using SurgiCase.Messaging.Sqs;

namespace SurgiCase.SecretsService.Tests;

/// <summary>Sets up secrets and queues in moto, and reads back what the service published.</summary>
internal static class MotoAws
{
    // Every seeded value is handed to the telemetry capture, which the leak guard searches at the end of the run.
    public static Task CreateSecretAsync(MotoServer moto, string name, string value)
    {
        TelemetryCapture.AddSeeded(value);
        return CallSecretsManagerAsync(moto, "CreateSecret", new { Name = name, SecretString = value });
    }

    public static Task PutSecretValueAsync(MotoServer moto, string name, string value)
    {
        TelemetryCapture.AddSeeded(value);
        return CallSecretsManagerAsync(moto, "PutSecretValue", new { SecretId = name, SecretString = value });
    }

    public static Task DeleteSecretAsync(MotoServer moto, string name) =>
        CallSecretsManagerAsync(moto, "DeleteSecret", new { SecretId = name, ForceDeleteWithoutRecovery = true });

    public static IAmazonSQS Sqs(MotoServer moto) =>
        SqsClientFactory.Create(new AwsOptions { ServiceUrl = moto.Url, AccessKeyId = "test", SecretAccessKey = "test" });

    public static async Task CreateQueueAsync(MotoServer moto, string queueName)
    {
        using var sqs = Sqs(moto);
        await sqs.CreateQueueAsync(queueName);
    }

    /// <summary>Every message now in the queue (moto's queues are small; one pass of receives is enough).</summary>
    public static async Task<List<Message>> DrainQueueAsync(MotoServer moto, string queueName)
    {
        using var sqs = Sqs(moto);
        var url = (await sqs.GetQueueUrlAsync(queueName)).QueueUrl;
        var all = new List<Message>();
        while (true)
        {
            var batch = await sqs.ReceiveMessageAsync(new ReceiveMessageRequest
            {
                QueueUrl = url,
                MaxNumberOfMessages = 10,
                WaitTimeSeconds = 0,
                MessageAttributeNames = ["All"],
            });
            if (batch.Messages is not { Count: > 0 })
            {
                return all;
            }

            all.AddRange(batch.Messages);
        }
    }

    private static async Task CallSecretsManagerAsync(MotoServer moto, string operation, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, moto.Url)
        {
            Content = new ByteArrayContent(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(body))),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-amz-json-1.1");
        request.Headers.TryAddWithoutValidation("X-Amz-Target", $"secretsmanager.{operation}");
        request.Headers.TryAddWithoutValidation(
            "Authorization", "AWS4-HMAC-SHA256 Credential=test/20250101/us-east-1/secretsmanager/aws4_request, SignedHeaders=host, Signature=0");
        using var response = await moto.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{operation} failed in moto: {(int)response.StatusCode} {text}");
    }
}
