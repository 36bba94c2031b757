using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OpenTelemetry.Instrumentation.Http;
using SurgiCase.Messaging.Sqs;

namespace SurgiCase.Messaging.Tests;

/// <summary>
/// Messaging keeps its timer-driven SQS polling out of traces by itself (ServiceDefaults names no AWS call), and the
/// service defaults' probe filter still applies, whichever registers first.
/// </summary>
public sealed class TraceFilterTests
{
    private sealed class NoOpHandler : IJobEventHandler
    {
        public Task HandleAsync(SurgiCase.Messaging.Contracts.IJobEvent jobEvent, DeliveryContext context, CancellationToken cancellationToken) =>
            Task.CompletedTask;
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Polling_and_probes_are_left_out_and_sends_stay_in(bool serviceDefaultsFirst)
    {
        var builder = Host.CreateApplicationBuilder();
        if (serviceDefaultsFirst)
        {
            builder.AddServiceDefaults();
        }

        builder.Services.AddSqsJobEventConsumer<NoOpHandler>();
        if (!serviceDefaultsFirst)
        {
            builder.AddServiceDefaults();
        }

        using var host = builder.Build();
        var traced = host.Services.GetRequiredService<IOptionsMonitor<HttpClientTraceInstrumentationOptions>>().CurrentValue.FilterHttpRequestMessage!;

        Assert.False(traced(Sqs("AmazonSQS.ReceiveMessage")));
        Assert.False(traced(Sqs("AmazonSQS.GetQueueAttributes")));
        Assert.True(traced(Sqs("AmazonSQS.SendMessage")));
        Assert.True(traced(Sqs("AmazonSQS.DeleteMessage")));
        Assert.False(traced(new HttpRequestMessage(HttpMethod.Get, "http://secrets-service/health")));
        Assert.True(traced(new HttpRequestMessage(HttpMethod.Get, "http://secrets-service/secrets/surgicase/main")));
    }

    private static HttpRequestMessage Sqs(string target)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "https://sqs.us-east-1.amazonaws.com/");
        request.Headers.Add("X-Amz-Target", target);
        return request;
    }
}
