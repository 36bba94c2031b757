using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using SurgiCase.NotificationService.Delivery;
using SurgiCase.Testing;

namespace SurgiCase.NotificationService.Tests;

/// <summary>The seed runbook's "✅ Job failure notification sent successfully for …" line, exactly as operators search for it.</summary>
[Collection(MotoCollection.Name)]
public sealed class SeedLogLineTests(MotoServer moto) : IAsyncLifetime
{
    private const string Line = "✅ Job failure notification sent successfully for Weekly Provider Payment Report";

    public Task InitializeAsync() => MotoCollection.ResetAndVerifySenderAsync(moto);

    public Task DisposeAsync() => Task.CompletedTask;

    private DeliveryHarness Harness(IDictionary<string, string?>? settings = null) =>
        DeliveryHarness.Create(moto, settings, services => services.AddLogging(l => l.AddFakeLogging()));

    private static IReadOnlyList<FakeLogRecord> Lines(DeliveryHarness harness) =>
        harness.Services.GetFakeLogCollector().GetSnapshot().Where(r => r.Message.StartsWith("✅ Job failure notification", StringComparison.Ordinal)).ToList();

    [Fact]
    public async Task An_emailed_failure_logs_the_seed_line_with_the_job_name_as_a_field()
    {
        await using var harness = Harness();

        await harness.HandleAsync(TestEvents.Failed());

        var record = Assert.Single(Lines(harness));
        Assert.Equal(Line, record.Message);
        Assert.Equal(LogLevel.Information, record.Level);
        Assert.Equal(typeof(NotificationDispatcher).FullName, record.Category);
        Assert.Contains(record.StructuredState!, kv => kv.Key == "JobName" && kv.Value == "Weekly Provider Payment Report");
    }

    [Fact]
    public async Task A_recovery_or_an_email_that_was_not_sent_does_not_log_it()
    {
        await using var harness = Harness(new Dictionary<string, string?> { ["Notifications:FallbackRecipients"] = "" });

        await harness.HandleAsync(TestEvents.Recovered());
        harness.Recipients.Settings = new Recipients.RecipientSettings(null, null);
        await Assert.ThrowsAsync<AlertNotEmailedException>(() => harness.HandleAsync(TestEvents.Failed()));

        Assert.Single(await moto.GetSentEmailsAsync());

        Assert.Empty(Lines(harness));
    }
}
