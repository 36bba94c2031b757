using Microsoft.Extensions.Configuration;
using SurgiCase.Testing;

namespace SurgiCase.SecretsService.Tests;

/// <summary>
/// The allow-lists SecretsService ships with (its appsettings.json, which the AppHost and the AWS stack do not override)
/// name each secret a caller needs, and no more: a prefix would hand a compromised scheduler every future secret too.
/// </summary>
[Collection(MotoCollection.Name)]
public sealed class ShippedAllowListTests
{
    private static readonly IConfiguration Shipped = new ConfigurationBuilder()
        .AddJsonFile(RepositoryFolder.Path("SurgiCase.SecretsService", "appsettings.json"))
        .Build();

    [Fact]
    public void No_caller_is_allowed_a_prefix()
    {
        var patterns = Shipped.GetSection(SecretAccessPolicy.SectionName).GetChildren()
            .SelectMany(caller => caller.GetSection("AllowedSecrets").GetChildren().Select(p => $"{caller.Key}: {p.Value}"))
            .ToList();

        Assert.NotEmpty(patterns);
        Assert.DoesNotContain(patterns, p => p.EndsWith('*'));
    }

    [Fact]
    public void The_scheduler_may_read_the_API_key_and_nothing_else()
    {
        var policy = new SecretAccessPolicy(Shipped);

        Assert.True(policy.IsAllowed("scheduler-service", "surgicase/api"));
        Assert.False(policy.IsAllowed("scheduler-service", "surgicase/main"));
        Assert.False(policy.IsAllowed("scheduler-service", "surgicase/backup"));
        Assert.False(policy.IsAllowed("scheduler-service", "surgicase/slack"));
    }

    [Fact]
    public void The_notification_service_may_read_its_recipients_and_webhook_but_no_smtp_login()
    {
        // It sends through SES with its task role; surgicase/email (an SMTP user and password) is never read (issue 18.6).
        var policy = new SecretAccessPolicy(Shipped);

        Assert.True(policy.IsAllowed("notification-service", "surgicase/main"));
        Assert.True(policy.IsAllowed("notification-service", "surgicase/slack"));
        Assert.False(policy.IsAllowed("notification-service", "surgicase/email"));
        Assert.False(policy.IsAllowed("notification-service", "surgicase/api"));
    }
}
