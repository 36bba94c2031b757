using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SurgiCase.NotificationService.Recipients;

namespace SurgiCase.NotificationService.Tests;

public sealed class RecipientResolverTests
{
    private readonly FakeRecipientSource _source = new();
    private readonly NotificationOptions _options = new() { FallbackRecipients = "oncall@surgicase.local" };

    private Task<RecipientResolution> ResolveAsync() =>
        new RecipientResolver(_source, Options.Create(_options), NullLogger<RecipientResolver>.Instance).ResolveAsync(CancellationToken.None);

    [Fact]
    public async Task Job_failure_recipients_are_used_when_set()
    {
        var result = await ResolveAsync();
        Assert.Equal(["ops@surgicase.local", "admin@surgicase.local"], result.Addresses);
        Assert.Equal(RecipientOrigin.JobFailureRecipients, result.Origin);
        Assert.Null(result.FallbackNote);
    }

    private Task<RecipientResolution> EscalationAsync() =>
        new RecipientResolver(_source, Options.Create(_options), NullLogger<RecipientResolver>.Instance)
            .ResolveEscalationAsync(["ops@surgicase.local"], CancellationToken.None);

    [Fact]
    public async Task An_escalation_goes_to_job_failure_escalation_else_admin_email_else_the_alerts_recipients()
    {
        _source.Settings = SecretsRecipientSource.Parse("""{"job_failure_recipients":"ops@surgicase.local","admin_email":"admin@surgicase.local","job_failure_escalation":"lead@surgicase.local, bad"}""");
        var escalation = await EscalationAsync();
        _source.Settings = new RecipientSettings("ops@surgicase.local", "admin@surgicase.local", "not-an-address");
        var admin = await EscalationAsync();
        _source.Unavailable = true;
        var unreadable = await EscalationAsync();

        Assert.Equal(["lead@surgicase.local"], escalation.Addresses);
        Assert.Equal((RecipientOrigin.JobFailureEscalation, null), (escalation.Origin, escalation.FallbackNote));
        Assert.Equal(["admin@surgicase.local"], admin.Addresses);
        Assert.Equal(RecipientOrigin.AdminEmail, admin.Origin);
        Assert.Contains("job_failure_escalation", admin.FallbackNote, StringComparison.Ordinal);
        Assert.Equal(["ops@surgicase.local"], unreadable.Addresses);
        Assert.Equal(RecipientOrigin.AlertRecipients, unreadable.Origin);
        Assert.Contains("could not be read", unreadable.FallbackNote, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_job_failure_recipients_fall_back_to_admin_email_with_a_note()
    {
        _source.Settings = new RecipientSettings(null, "admin@surgicase.local");
        var result = await ResolveAsync();
        Assert.Equal(["admin@surgicase.local"], result.Addresses);
        Assert.Equal(RecipientOrigin.AdminEmail, result.Origin);
        Assert.Contains("admin_email", result.FallbackNote, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Both_missing_fall_back_to_configuration_with_a_note()
    {
        _source.Settings = new RecipientSettings(null, null);
        var result = await ResolveAsync();
        Assert.Equal(["oncall@surgicase.local"], result.Addresses);
        Assert.Equal(RecipientOrigin.Configuration, result.Origin);
        Assert.Contains("Notifications:FallbackRecipients", result.FallbackNote, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_secret_falls_back_to_configuration_and_says_why()
    {
        _source.Unavailable = true;
        var result = await ResolveAsync();
        Assert.Equal(["oncall@surgicase.local"], result.Addresses);
        Assert.Contains("could not be read", result.FallbackNote, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invalid_and_crlf_addresses_are_dropped_and_the_rest_kept()
    {
        _source.Settings = new RecipientSettings("ops@surgicase.local\r\nBcc: evil@example.com, not-an-address ,ops@surgicase.local,OPS@surgicase.local,admin@surgicase.local", null);
        var result = await ResolveAsync();
        Assert.Equal(["ops@surgicase.local", "admin@surgicase.local"], result.Addresses);
        Assert.Equal(2, result.Rejected.Count);
        Assert.All(result.Addresses, a => Assert.DoesNotContain('\n', a));
    }

    [Fact]
    public async Task A_list_holding_only_invalid_addresses_falls_through_to_the_next_link()
    {
        _source.Settings = new RecipientSettings("ops@surgicase.local\nBcc: x@y.z", "admin@surgicase.local");
        var result = await ResolveAsync();
        Assert.Equal(RecipientOrigin.AdminEmail, result.Origin);
        Assert.Equal(["admin@surgicase.local"], result.Addresses);
    }

    [Fact]
    public async Task Nothing_anywhere_gives_no_recipients_and_a_reason()
    {
        _source.Settings = new RecipientSettings(null, null);
        _options.FallbackRecipients = null;
        var result = await ResolveAsync();
        Assert.Empty(result.Addresses);
        Assert.Equal(RecipientOrigin.None, result.Origin);
        Assert.NotNull(result.FallbackNote);
    }

    [Theory]
    [InlineData("""{"job_failure_recipients":"a@b.co","admin_email":"c@d.co"}""", "a@b.co", "c@d.co")]
    [InlineData("""{"admin_email":"c@d.co"}""", null, "c@d.co")]
    [InlineData("""{"job_failure_recipients":"  ","admin_email":42}""", null, null)]
    [InlineData("not json", null, null)]
    [InlineData(null, null, null)]
    public void The_secret_json_is_read_defensively(string? json, string? recipients, string? admin) =>
        Assert.Equal(new RecipientSettings(recipients, admin), SecretsRecipientSource.Parse(json));
}
