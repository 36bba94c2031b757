using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SurgiCase.SchedulerService.Jobs;

namespace SurgiCase.SchedulerService.Tests;

/// <summary>A bad job definition stops start-up, and the message names the configuration key.</summary>
public sealed class JobDefinitionValidationTests
{
    private static readonly Uri Unused = new("http://127.0.0.1:9");

    [Theory]
    [InlineData("cron", "0 0 25 ? * MON", "Scheduler:Jobs:7 ('bad-job'):cron")]
    [InlineData("cron", "every monday", "Scheduler:Jobs:7 ('bad-job'):cron")]
    [InlineData("timeZone", "Mars/Olympus_Mons", "Scheduler:Jobs:7 ('bad-job'):timeZone")]
    [InlineData("url", "", "Scheduler:Jobs:7 ('bad-job'):url is required")]
    [InlineData("url", "ftp://example.com/report", "Scheduler:Jobs:7 ('bad-job'):url")]
    [InlineData("scope", "everywhere", "Scheduler:Jobs:7 ('bad-job'):scope")]
    [InlineData("timeoutSeconds", "0", "Scheduler:Jobs:7 ('bad-job'):timeoutSeconds")]
    [InlineData("partialFailure:thresholdPercent", "120", "Scheduler:Jobs:7 ('bad-job'):partialFailure:thresholdPercent")]
    [InlineData("partialFailure:belowThreshold", "silent", "Scheduler:Jobs:7 ('bad-job'):partialFailure:belowThreshold 'silent'")]
    public void A_bad_field_stops_start_up_naming_the_key(string field, string value, string expectedKey)
    {
        var settings = SchedulerApp.Job(7, "bad-job", "/api/reports/referral")
            .Where(kv => !kv.Key.EndsWith(":" + field, StringComparison.Ordinal))
            .Append(new($"Scheduler:Jobs:7:{field}", value));

        var message = StartAndCaptureFailure(settings);

        Assert.True(message.Contains(expectedKey, StringComparison.Ordinal), message);
    }

    [Fact]
    public void A_duplicate_id_stops_start_up_naming_both_keys()
    {
        var settings = SchedulerApp.Job(7, "weekly-referral-report", "/api/reports/referral");

        var message = StartAndCaptureFailure(settings);

        Assert.Contains("Scheduler:Jobs:7:id 'weekly-referral-report' duplicates Scheduler:Jobs:2:id", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Scheduler:MaxConcurrentRuns", "0", "Scheduler.MaxConcurrentRuns")]
    [InlineData("Scheduler:Outbox:RetryMaxDelay", "00:00:00.500", "RetryMaxDelay must not be below RetryInitialDelay")]
    [InlineData("Scheduler:CircuitBreaker:FailureThreshold", "1", "Scheduler.CircuitBreaker.FailureThreshold")]
    [InlineData("SurgiCaseApi:BaseAddress", "/relative", "SurgiCaseApi:BaseAddress must be an absolute http(s) URL")]
    public void A_bad_setting_stops_start_up_naming_the_key(string key, string value, string expected)
    {
        var message = StartAndCaptureFailure([new(key, value)]);

        Assert.True(message.Contains(expected, StringComparison.Ordinal), message);
    }

    [Fact]
    public void An_api_key_secret_without_its_field_stops_start_up_naming_the_key()
    {
        var message = StartAndCaptureFailure(
        [
            new("SurgiCaseApi:ApiKeySecretName", "surgicase/api"), new("SurgiCaseApi:ApiKeySecretField", " "), new("SecretsClient:ApiKey", "scheduler-key"),
        ]);

        Assert.True(message.Contains("SurgiCaseApi:ApiKeySecretField must name the secret's field", StringComparison.Ordinal), message);
    }

    [Fact]
    public void The_shipped_defaults_are_valid()
    {
        using var app = new SchedulerApp(Unused);
        using var client = app.CreateClient();
        Assert.Equal(SchedulerApp.SeedJobCount, app.Services.GetRequiredService<IOptions<SchedulerOptions>>().Value.Jobs.Count);
    }

    [Theory]
    [InlineData("Weekly Provider Payment Report", "Provider payment report")]
    [InlineData("Daily Database Backup", "Database backup")]
    [InlineData("Pool Stats", "Pool stats")]
    public void The_display_name_defaults_to_the_name_in_sentence_case_without_its_period(string name, string expected) =>
        Assert.Equal(expected, JobDefinition.DeriveDisplayName(name));

    private static string StartAndCaptureFailure(IEnumerable<KeyValuePair<string, string?>> settings)
    {
        var list = settings.ToList();
        for (var attempt = 1; ; attempt++)
        {
            using var app = new SchedulerApp(Unused, list);
            var exception = Assert.ThrowsAny<Exception>(() => app.CreateClient());
            // WebApplicationFactory's deferred host races a start-up that fails fast: under load it may ask the already
            // disposed provider for a service and throw this instead of the start-up's own exception. Only that is retried.
            if (exception is ObjectDisposedException && exception.StackTrace?.Contains("DeferredHost", StringComparison.Ordinal) == true && attempt < 5)
            {
                continue;
            }

            return exception.ToString();
        }
    }
}
