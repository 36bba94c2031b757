using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Amazon.SQS;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using SurgiCase.Messaging;
using SurgiCase.NotificationService.Recipients;
using SurgiCase.Testing;
using SurgiCase.Messaging.Sqs;

namespace SurgiCase.NotificationService.Tests;

/// <summary>The service as it runs: HTTP API, authentication, and the SQS consumer on moto.</summary>
[Collection(MotoCollection.Name)]
public sealed class NotificationApiTests(MotoServer moto) : IAsyncLifetime
{
    private const string OperatorKey = NotificationApp.OperatorKey;
    private const string OperationsPageKey = NotificationApp.OperationsPageKey;
    private readonly TempDirectory _dir = new();
    private WebApplicationFactory<Program> _factory = null!;

    public async Task InitializeAsync()
    {
        await MotoCollection.ResetAndVerifySenderAsync(moto);
        _factory = NotificationApp.Create(moto, _dir.Path);
    }

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        _dir.Dispose();
    }

    private HttpClient Operator()
    {
        var client = _factory.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", OperatorKey);
        return client;
    }

    [Fact]
    public async Task Endpoints_need_the_operator_key()
    {
        var anonymous = _factory.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/notifications")).StatusCode);

        var wrongCaller = _factory.CreateClient();
        wrongCaller.DefaultRequestHeaders.Add("X-Api-Key", NotificationApp.OtherCallerKey);
        Assert.Equal(HttpStatusCode.Forbidden, (await wrongCaller.PostAsync("/notifications/test", null)).StatusCode);
        Assert.Empty(await moto.GetSentEmailsAsync());
    }

    [Fact]
    public async Task Every_test_notification_is_sent_however_close_together()
    {
        var client = Operator();

        for (var i = 0; i < 3; i++)
        {
            using var sent = await client.PostAsync("/notifications/test", null);
            Assert.Equal(HttpStatusCode.OK, sent.StatusCode);
        }

        var emails = await moto.GetSentEmailsAsync();
        Assert.Equal(3, emails.Count);
        Assert.All(emails, e => Assert.Equal("🚨 CRITICAL: Scheduled Job Failed - Test Job", e.Subject));
    }

    [Fact]
    public async Task A_test_alert_names_its_sender_the_pages_person_or_the_operator_key_in_the_email_and_the_log()
    {
        var page = _factory.CreateClient();
        page.DefaultRequestHeaders.Add("X-Api-Key", OperationsPageKey);

        // The page names its signed-in person (one line, and escaped in the HTML like everything a request brings).
        using var byPage = await page.PostAsJsonAsync("/notifications/test", new { by = "Olivia <b>Operator</b> [olivia]\r\n" });
        using var byKey = await Operator().PostAsJsonAsync("/notifications/test", new { by = "somebody else" });
        Assert.Equal(HttpStatusCode.OK, byPage.StatusCode);
        Assert.Equal(HttpStatusCode.OK, byKey.StatusCode);

        const string Olivia = "Olivia <b>Operator</b> [olivia] (operations page)";
        var pageRecord = await byPage.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(Olivia, pageRecord.GetProperty("requestedBy").GetString());
        Assert.Equal("operator (API)", (await byKey.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("requestedBy").GetString());
        var listed = (await page.GetFromJsonAsync<JsonElement>("/notifications?limit=10")).EnumerateArray()
            .Select(r => r.GetProperty("requestedBy").GetString()).ToList();
        Assert.Equal(["operator (API)", Olivia], listed);

        var emails = await moto.GetSentEmailsAsync();
        Assert.Equal(2, emails.Count);
        Assert.Contains("Olivia &lt;b&gt;Operator&lt;/b&gt; [olivia] (operations page)", emails[0].Body, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>Operator", emails[0].Body, StringComparison.Ordinal);
        Assert.Contains("operator (API)", emails[1].Body, StringComparison.Ordinal);

        // The page's caller still cannot do what only the operator may.
        Assert.Equal(HttpStatusCode.Forbidden, (await page.DeleteAsync("/notifications/bounced-recipients/ops%40example.com")).StatusCode);
    }

    [Fact]
    public async Task Test_notification_is_sent_listed_shown_and_previewed()
    {
        var client = Operator();

        using var sent = await client.PostAsync("/notifications/test", null);
        Assert.Equal(HttpStatusCode.OK, sent.StatusCode);
        var record = await sent.Content.ReadFromJsonAsync<JsonElement>();
        var id = record.GetProperty("id").GetInt64();
        Assert.Equal("sent", record.GetProperty("status").GetString());

        var email = Assert.Single(await moto.GetSentEmailsAsync());
        Assert.Equal("🚨 CRITICAL: Scheduled Job Failed - Test Job", email.Subject);
        Assert.Contains("This is a test notification", email.Body, StringComparison.Ordinal);

        var list = await client.GetFromJsonAsync<JsonElement>("/notifications?limit=10");
        Assert.Equal(id, Assert.Single(list.EnumerateArray()).GetProperty("id").GetInt64());

        var one = await client.GetFromJsonAsync<JsonElement>($"/notifications/{id}");
        Assert.Equal("email", one.GetProperty("channel").GetString());
        Assert.Equal(2, one.GetProperty("recipients").GetArrayLength());
        Assert.Equal(1, one.GetProperty("attempts").GetInt32());
        Assert.False(string.IsNullOrEmpty(one.GetProperty("sesMessageId").GetString()));

        using var preview = await client.GetAsync($"/notifications/{id}/preview");
        Assert.Equal("text/html", preview.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Test Job", await preview.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        // The same policy as the operations page's preview frame: the HTML quotes a job's error text.
        var policy = string.Join(";", preview.Headers.GetValues("Content-Security-Policy"));
        Assert.Equal(EmailPreviewSecurity.ContentSecurityPolicy, policy);
        Assert.Contains("default-src 'none'", policy, StringComparison.Ordinal);
        Assert.Contains("sandbox", policy, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_ids_and_bad_limits_are_problem_details()
    {
        var client = Operator();
        using var missing = await client.GetAsync("/notifications/999999");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("application/problem+json", missing.Content.Headers.ContentType?.MediaType);

        using var badLimit = await client.GetAsync("/notifications?limit=0");
        Assert.Equal(HttpStatusCode.BadRequest, badLimit.StatusCode);
        Assert.Equal("application/problem+json", badLimit.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_route_that_does_not_match_and_a_failing_store_are_problem_details_without_internals()
    {
        // Outside Development, as deployed: no developer exception page.
        await using var production = _factory.WithWebHostBuilder(web =>
        {
            web.UseEnvironment("Production");
            web.UseSetting("SecretsClient:BaseAddress", "http://secrets.invalid/");
            web.UseSetting("Notifications:Sender", MotoCollection.Sender);
            web.UseSetting("Notifications:OperationsPageUrl", "https://operations.invalid/");
            web.UseSetting("DataProtection:KeyEncryptionKey", "test-key-encryption-key-0123456789abcdef");
            web.ConfigureTestServices(services => services.Replace(ServiceDescriptor.Singleton<Storage.IDeliveryLog>(new BrokenDeliveryLog())));
        });
        var client = production.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", OperatorKey);

        using var notANumber = await client.GetAsync("/notifications/not-a-number");
        Assert.Equal(HttpStatusCode.NotFound, notANumber.StatusCode);
        Assert.Equal("application/problem+json", notANumber.Content.Headers.ContentType?.MediaType);

        using var failing = await client.GetAsync("/notifications");
        Assert.Equal(HttpStatusCode.InternalServerError, failing.StatusCode);
        Assert.Equal("application/problem+json", failing.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain(BrokenDeliveryLog.Detail, await failing.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_published_job_failure_is_consumed_and_emailed_in_the_same_trace()
    {
        using var listener = new ActivityListener
        {
            ShouldListenTo = _ => true,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);
        _ = _factory.Server; // starts the host, and with it the consumer
        var sqs = _factory.Services.GetRequiredService<IAmazonSQS>();
        await SqsQueueProvisioner.EnsureQueuesAsync(sqs, new MessagingOptions());

        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(new ConfigurationBuilder()
                .AddInMemoryCollection(new Dictionary<string, string?>
                {
                    ["Aws:ServiceUrl"] = moto.Url.ToString(),
                    ["Aws:AccessKeyId"] = "test",
                    ["Aws:SecretAccessKey"] = "test",
                }).Build())
            .AddLogging()
            .AddSqsJobEventPublisher()
            .BuildServiceProvider();
        var publisher = services.GetRequiredService<IJobEventPublisher>();

        using var source = new ActivitySource("test.scheduler");
        string traceId;
        using (var jobSpan = source.StartActivity("job run"))
        {
            traceId = jobSpan!.TraceId.ToHexString();
            await publisher.PublishAsync(TestEvents.Failed());
        }

        var deadline = DateTime.UtcNow.AddSeconds(30);
        IReadOnlyList<SentEmail> emails = [];
        while (emails.Count == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
            emails = await moto.GetSentEmailsAsync();
        }

        var email = Assert.Single(emails);
        Assert.Equal("🚨 CRITICAL: Scheduled Job Failed - Weekly Provider Payment Report", email.Subject);
        Assert.Contains(traceId, email.Body, StringComparison.Ordinal);
        await services.DisposeAsync();
    }

    [Fact]
    public async Task Health_is_degraded_with_the_count_when_the_DLQ_is_not_empty_and_only_a_caller_with_a_key_sees_which_queue()
    {
        var sqs = _factory.Services.GetRequiredService<IAmazonSQS>();
        var queues = await SqsQueueProvisioner.EnsureQueuesAsync(sqs, new MessagingOptions());
        await sqs.SendMessageAsync(queues.DeadLetterQueueUrl, "{}");

        var anonymous = await _factory.CreateClient().GetStringAsync("/health");
        using var response = await Operator().GetAsync("/health");
        var report = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal("Degraded", JsonDocument.Parse(anonymous).RootElement.GetProperty("status").GetString());
        Assert.DoesNotContain("checks", anonymous, StringComparison.Ordinal);
        Assert.DoesNotContain("dlq", anonymous, StringComparison.Ordinal);
        Assert.Equal("Degraded", report.GetProperty("status").GetString());
        var check = report.GetProperty("checks").GetProperty("dead-letter-queue");
        Assert.Equal("Degraded", check.GetProperty("status").GetString());
        Assert.Contains("surgicase-job-events-dlq holds 1 message(s)", check.GetProperty("description").GetString(), StringComparison.Ordinal);
    }

    /// <summary>A delivery log whose database is gone; the message stands for whatever internals an error carries.</summary>
    private sealed class BrokenDeliveryLog : Storage.IDeliveryLog
    {
        public const string Detail = "connection to 10.0.0.7:5432 refused (internal detail)";

        public Task<Storage.ClaimResult> TryClaimAsync(Storage.ClaimRequest request, CancellationToken cancellationToken) => Fail<Storage.ClaimResult>();

        public Task<bool> RecordRenderedAsync(Storage.ClaimResult claim, string subject, IReadOnlyList<string> recipients, string? note, string html, string text, CancellationToken cancellationToken) => Fail<bool>();

        public Task<bool> MarkInFlightAsync(Storage.ClaimResult claim, CancellationToken cancellationToken) => Fail<bool>();


        public Task<bool> MarkDeliveredAsync(
            Storage.ClaimResult claim, string status, string channel, string? sesMessageId, string? lastError, Storage.RenderedRecord? rendered, CancellationToken cancellationToken) =>
            Fail<bool>();

        public Task<bool> MarkFailedAsync(Storage.ClaimResult claim, string error, Storage.RenderedRecord? rendered, CancellationToken cancellationToken) => Fail<bool>();

        public Task<IReadOnlyList<Storage.NotificationRecord>> ListAsync(int limit, CancellationToken cancellationToken) => Fail<IReadOnlyList<Storage.NotificationRecord>>();

        public Task<Storage.NotificationRecord?> GetAsync(long id, CancellationToken cancellationToken) => Fail<Storage.NotificationRecord?>();

        public Task<string?> GetHtmlAsync(long id, CancellationToken cancellationToken) => Fail<string?>();

        public Task RecordRequesterAsync(long id, string requestedBy, CancellationToken cancellationToken) => Fail<bool>();

        public Task<Storage.PriorAlert?> FindLastDeliveredAsync(string jobId, long beforeId, CancellationToken cancellationToken) => Fail<Storage.PriorAlert?>();

        public Task<Storage.SuppressedRepeats> CountSuppressedAsync(string jobId, long afterId, long beforeId, CancellationToken cancellationToken) =>
            Fail<Storage.SuppressedRepeats>();

        public Task<IReadOnlyList<string>> FindJobsWithUnreportedRepeatsAsync(CancellationToken cancellationToken) => Fail<IReadOnlyList<string>>();

        public Task<bool> MarkSuppressedAsync(Storage.ClaimResult claim, string note, CancellationToken cancellationToken) => Fail<bool>();

        private static Task<T> Fail<T>() => Task.FromException<T>(new InvalidOperationException(Detail));
    }
}
