using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Amazon.Runtime;
using Amazon.SQS;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using SurgiCase.Messaging;
using SurgiCase.Messaging.Sqs;

namespace SurgiCase.AppHost.LocalAws;

/// <summary>
/// Health check of the local AWS that also provisions it: the job-events queue and its DLQ, the seed's
/// secrets, the verified SES sender and the SES feedback topic → queue. Healthy only when all exist. moto keeps state in memory, so if
/// it restarts, the next check provisions it again.
/// </summary>
internal sealed class LocalAwsProvisioner(EndpointReference endpoint, ParameterResource surgiCaseApiKey, EndpointReference slackStandIn)
    : IHealthCheck, IDisposable
{
    // AWS JSON protocols use PascalCase member names, unlike the web defaults of JsonContent.
    private static readonly JsonSerializerOptions AwsJson = new();

    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private readonly SemaphoreSlim _gate = new(1, 1);
    private bool _provisioned;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!endpoint.IsAllocated)
        {
            return HealthCheckResult.Unhealthy("The local AWS endpoint is not allocated yet.");
        }

        var baseUrl = new Uri(endpoint.Url);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            using (var ping = await _http.GetAsync(new Uri(baseUrl, "/moto-api/"), cancellationToken))
            {
                if (ping.StatusCode != HttpStatusCode.OK)
                {
                    return HealthCheckResult.Unhealthy($"moto answered {(int)ping.StatusCode}.");
                }
            }

            // Once provisioned, a check is one cheap call; if moto restarted (its state is in memory) it
            // provisions again.
            if (_provisioned && await SecretExistsAsync(baseUrl, SeedSecrets.Marker, cancellationToken))
            {
                return HealthCheckResult.Healthy("Queues, secrets and SES sender are provisioned.");
            }

            using var sqs = CreateSqsClient(baseUrl);
            await SqsQueueProvisioner.EnsureQueuesAsync(sqs, new MessagingOptions(), cancellationToken);
            var apiKey = await surgiCaseApiKey.GetValueAsync(cancellationToken) ?? "";
            var slackWebhookUrl = new Uri(new Uri(slackStandIn.Url), "/webhooks/slack").ToString();
            foreach (var (name, value) in SeedSecrets.Create(apiKey, slackWebhookUrl))
            {
                await EnsureSecretAsync(baseUrl, name, value, cancellationToken);
            }

            await EnsureSesIdentityAsync(baseUrl, SeedSecrets.SenderAddress, cancellationToken);
            await EnsureSesFeedbackAsync(baseUrl, sqs, cancellationToken);
            _provisioned = true;
            return HealthCheckResult.Healthy("Queues, secrets and SES sender are provisioned.");
        }
        catch (Exception e) when (e is HttpRequestException or AmazonServiceException or TaskCanceledException)
        {
            return HealthCheckResult.Unhealthy($"Local AWS not ready: {e.Message}");
        }
        finally
        {
            _gate.Release();
        }
    }

    private static AmazonSQSClient CreateSqsClient(Uri baseUrl) =>
        new(new BasicAWSCredentials("test", "test"), new AmazonSQSConfig
        {
            ServiceURL = baseUrl.ToString(),
            AuthenticationRegion = LocalAwsResourceExtensions.Region,
        });

    private async Task EnsureSecretAsync(Uri baseUrl, string name, string value, CancellationToken cancellationToken)
    {
        // Existing secrets keep their value: a developer may have changed one by hand to try something.
        if (await SecretExistsAsync(baseUrl, name, cancellationToken))
        {
            return;
        }

        using var create = await CallSecretsManagerAsync(baseUrl, "CreateSecret", new { Name = name, SecretString = value }, cancellationToken);
        if (!create.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"CreateSecret {name} answered {(int)create.StatusCode}.");
        }
    }

    private async Task<bool> SecretExistsAsync(Uri baseUrl, string name, CancellationToken cancellationToken)
    {
        using var describe = await CallSecretsManagerAsync(baseUrl, "DescribeSecret", new { SecretId = name }, cancellationToken);
        return describe.IsSuccessStatusCode;
    }

    private async Task<HttpResponseMessage> CallSecretsManagerAsync(Uri baseUrl, string action, object body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, baseUrl)
        {
            Content = JsonContent.Create(body, new System.Net.Http.Headers.MediaTypeHeaderValue("application/x-amz-json-1.1"), AwsJson),
        };
        request.Headers.Add("X-Amz-Target", $"secretsmanager.{action}");
        request.Headers.TryAddWithoutValidation("Authorization", MotoAuthorization("secretsmanager"));
        return await _http.SendAsync(request, cancellationToken);
    }

    private async Task EnsureSesIdentityAsync(Uri baseUrl, string address, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(baseUrl, "/v2/email/identities"))
        {
            Content = JsonContent.Create(new { EmailIdentity = address }, options: AwsJson),
        };
        request.Headers.TryAddWithoutValidation("Authorization", MotoAuthorization("ses"));
        using var response = await _http.SendAsync(request, cancellationToken);
        // 409 AlreadyExists is fine.
        if (!response.IsSuccessStatusCode && response.StatusCode != HttpStatusCode.Conflict)
        {
            throw new HttpRequestException($"CreateEmailIdentity answered {(int)response.StatusCode}.");
        }
    }

    /// <summary>
    /// The SES feedback path as the stack builds it: the topic a configuration set event destination publishes to, and
    /// the queue (with its DLQ) subscribed to it, in the SNS envelope (no raw delivery). moto's CreateTopic and Subscribe
    /// are idempotent.
    /// </summary>
    private async Task EnsureSesFeedbackAsync(Uri baseUrl, AmazonSQSClient sqs, CancellationToken cancellationToken)
    {
        var queues = await SqsQueueProvisioner.EnsureQueuesAsync(sqs, new MessagingOptions
        {
            QueueName = LocalAwsResourceExtensions.SesFeedbackQueue,
            DeadLetterQueueName = LocalAwsResourceExtensions.SesFeedbackQueue + "-dlq",
            VisibilityTimeoutSeconds = 60,
        }, cancellationToken);
        var queueArn = (await sqs.GetQueueAttributesAsync(queues.QueueUrl, ["QueueArn"], cancellationToken)).QueueARN;
        await CallSnsAsync(baseUrl, new() { ["Action"] = "CreateTopic", ["Name"] = LocalAwsResourceExtensions.SesFeedbackTopic }, cancellationToken);
        await CallSnsAsync(baseUrl, new()
        {
            ["Action"] = "Subscribe", ["TopicArn"] = LocalAwsResourceExtensions.SesFeedbackTopicArn, ["Protocol"] = "sqs", ["Endpoint"] = queueArn,
        }, cancellationToken);
    }

    private async Task CallSnsAsync(Uri baseUrl, Dictionary<string, string> form, CancellationToken cancellationToken)
    {
        form["Version"] = "2010-03-31";
        using var request = new HttpRequestMessage(HttpMethod.Post, baseUrl) { Content = new FormUrlEncodedContent(form) };
        request.Headers.TryAddWithoutValidation("Authorization", MotoAuthorization("sns"));
        using var response = await _http.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"SNS {form["Action"]} answered {(int)response.StatusCode}.");
        }
    }

    // moto routes a request to the emulated service named in the credential scope; outside its auth
    // mode it does not check the signature, so provisioning needs no real signing.
    private static string MotoAuthorization(string service) =>
        $"AWS4-HMAC-SHA256 Credential=test/20260101/{LocalAwsResourceExtensions.Region}/{service}/aws4_request, SignedHeaders=host, Signature=00";

    public void Dispose()
    {
        _http.Dispose();
        _gate.Dispose();
    }
}
