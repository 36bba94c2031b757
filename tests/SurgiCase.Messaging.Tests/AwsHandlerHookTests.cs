using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Amazon.Runtime;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using SurgiCase.Aws;
using SurgiCase.Testing;

namespace SurgiCase.Messaging.Tests;

/// <summary>
/// The AWS fault hook reaches the AWSSDK SQS client as it reaches the thin Secrets Manager and SES clients: a handler
/// registered for "sqs" sees every signed SQS request and can answer what moto cannot (here a refusal).
/// </summary>
[Collection(MotoCollection.Name)]
public sealed class AwsHandlerHookTests(MotoServer moto)
{
    [Fact]
    public async Task A_handler_registered_for_sqs_answers_the_sdk_clients_signed_calls()
    {
        var refusing = new RefusingHandler();
        await using var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Aws:ServiceUrl"] = moto.Url.ToString(),
                ["Aws:AccessKeyId"] = "test",
                ["Aws:SecretAccessKey"] = "test",
                ["Messaging:QueueName"] = "hook-" + Guid.NewGuid().ToString("N")[..8],
            }).Build())
            .AddLogging()
            .AddSqsJobEventPublisher()
            .AddAwsHttpHandler(AwsServiceNames.Sqs, _ => refusing)
            .BuildServiceProvider();

        var error = await Assert.ThrowsAnyAsync<AmazonServiceException>(
            () => services.GetRequiredService<IJobEventPublisher>().PublishAsync(SampleEvents.SimpleFailure()));

        Assert.Equal("AccessDenied", error.ErrorCode);
        var seen = Assert.Single(refusing.Requests);
        Assert.Equal("AmazonSQS.GetQueueUrl", seen.Target);
        Assert.StartsWith("AWS4-HMAC-SHA256 Credential=test/", seen.Authorization, StringComparison.Ordinal);
    }

    private sealed class RefusingHandler : DelegatingHandler
    {
        public ConcurrentQueue<(string? Target, string? Authorization)> Requests { get; } = new();

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests.Enqueue((
                request.Headers.TryGetValues("X-Amz-Target", out var targets) ? targets.First() : null,
                request.Headers.TryGetValues("Authorization", out var authorization) ? authorization.First() : null));
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.BadRequest)
            {
                Content = new StringContent(
                    """{"__type":"com.amazonaws.sqs#AccessDenied","message":"Injected refusal"}""", Encoding.UTF8, "application/x-amz-json-1.0"),
            });
        }
    }
}
