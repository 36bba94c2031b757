using System.Diagnostics;
using Amazon.SQS;
using Amazon.SQS.Model;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SurgiCase.Aws;
using SurgiCase.Messaging.Sqs;

/// <summary>
/// The floor under an alert: the three AWS calls its path cannot avoid (SQS SendMessage, a long-poll ReceiveMessage that
/// was already waiting, SES v2 SendEmail), made with the clients the services use (AWSSDK.SQS as the consumer is
/// configured, SurgiCase.Aws's SES client) and nothing else between. They go to the address the services are given, the
/// local fault proxy in front of moto, so the floor includes the proxy hop every AWS call of the services takes.
/// The email is the alert's own (its HTML as the delivery log keeps it, its text the HTML without tags), so SES, the proxy
/// and moto handle the same bytes; the SQS message is 2,000 characters, more than a job event's. One sample is taken
/// after each alert run, so both see the same load on the machine.
/// </summary>
internal sealed class RawChain : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private readonly ISesEmailClient _ses;
    private readonly IAmazonSQS _sqs;
    private readonly string _queueUrl;
    private readonly string _body = new('x', 2_000);

    private RawChain(ServiceProvider services, IAmazonSQS sqs, string queueUrl)
    {
        _services = services;
        _ses = services.GetRequiredService<ISesEmailClient>();
        _sqs = sqs;
        _queueUrl = queueUrl;
    }

    public static async Task<RawChain> CreateAsync(Uri awsServiceUrl)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Aws:ServiceUrl"] = awsServiceUrl.ToString(),
            ["Aws:Region"] = "us-east-1",
            ["Aws:AccessKeyId"] = "test",
            ["Aws:SecretAccessKey"] = "test",
        };
        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build())
            .AddLogging()
            .AddSesEmailClient()
            .BuildServiceProvider();
        var sqs = SqsClientFactory.Create(services.GetRequiredService<IOptions<AwsOptions>>().Value);
        var queueUrl = (await sqs.CreateQueueAsync($"latency-floor-{Guid.NewGuid():N}"[..26])).QueueUrl;
        return new RawChain(services, sqs, queueUrl);
    }

    /// <returns>
    /// Milliseconds from SendMessage to SES accepting the email, and the first part of it: until the message was received
    /// (the part the alert's path covers up to NotificationService's claim).
    /// </returns>
    /// <param name="subject">The alert's subject.</param>
    /// <param name="html">The alert's HTML, as emailed.</param>
    public async Task<(double Total, double Queue)> SampleAsync(string subject, string html)
    {
        // The consumer's long poll is already waiting when the event is sent, as NotificationService's is.
        var receive = _sqs.ReceiveMessageAsync(new ReceiveMessageRequest { QueueUrl = _queueUrl, WaitTimeSeconds = 20, MaxNumberOfMessages = 10 });
        await Task.Delay(50);
        var clock = Stopwatch.StartNew();
        await _sqs.SendMessageAsync(_queueUrl, _body);
        var received = await receive;
        var queue = clock.Elapsed.TotalMilliseconds;
        await _ses.SendEmailAsync(new EmailMessage("alerts@surgicase.local", ["oncall@surgicase.local"], subject, html, TextOf(html)));
        clock.Stop();
        await _sqs.DeleteMessageAsync(_queueUrl, received.Messages[0].ReceiptHandle);
        return (clock.Elapsed.TotalMilliseconds, queue);
    }

    private static string TextOf(string html) => System.Text.RegularExpressions.Regex.Replace(html, "<[^>]+>", " ");

    public async ValueTask DisposeAsync()
    {
        await _sqs.DeleteQueueAsync(_queueUrl);
        _sqs.Dispose();
        await _services.DisposeAsync();
    }
}
