using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SurgiCase.Messaging.Contracts;
using SurgiCase.NotificationService.Rendering;
using SurgiCase.Testing;

namespace SurgiCase.NotificationService.Tests;

/// <summary>Every failure alert ends its troubleshooting with the runbook's section for its error kind (Notifications:RunbookUrl).</summary>
[Collection(MotoCollection.Name)]
public sealed class RunbookLinkTests(MotoServer moto) : IAsyncLifetime
{
    // An ampersand in the configured URL shows the link is escaped in the HTML part like everything else.
    private const string RunbookUrl = "https://wiki.example.com/surgicase/runbook?page=ops&v=2";

    public Task InitializeAsync() => MotoCollection.ResetAndVerifySenderAsync(moto);

    public Task DisposeAsync() => Task.CompletedTask;

    public static TheoryData<string, string> Kinds() => new()
    {
        { ErrorKinds.Timeout, "timeout" },
        { ErrorKinds.ConnectionFailed, "connectionfailed" },
        { ErrorKinds.SecretsUnavailable, "secretsunavailable" },
        { ErrorKinds.MissedRun, "missedrun" },
        { "SomethingNew", "unexpected" },
    };

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task The_emailed_alert_links_its_error_kinds_runbook_section_in_text_and_html(string errorKind, string anchor)
    {
        await using var harness = DeliveryHarness.Create(moto, new Dictionary<string, string?> { ["Notifications:RunbookUrl"] = RunbookUrl });

        var failed = TestEvents.Failed() with { ErrorKind = errorKind };

        await harness.HandleAsync(failed);

        // The HTML part as SES sent it (moto keeps only that one); the text part from the same renderer and settings.
        var email = Assert.Single(await moto.GetSentEmailsAsync());
        var text = EmailRenderer.Render(failed, new RenderContext(null, new Uri("http://localhost:5100/"), RunbookUrl: new Uri(RunbookUrl))).Text;
        var link = $"{RunbookUrl}#{anchor}";
        Assert.Contains($"Runbook: {link}", text, StringComparison.Ordinal);
        Assert.Contains($"Runbook: {link.Replace("&", "&amp;", StringComparison.Ordinal)}</li>", email.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("page=ops&v=2", email.Body, StringComparison.Ordinal);
    }

    [Fact]
    public void A_partial_failure_links_the_partial_failure_section_and_without_a_url_the_repository_file_is_named()
    {
        var context = new RenderContext(null, new Uri("http://localhost:5100/"));

        var partial = EmailRenderer.Render(TestEvents.Partial(), context with { RunbookUrl = new Uri(RunbookUrl) });
        var failed = EmailRenderer.Render(TestEvents.Failed(), context);

        Assert.Contains($"Runbook: {RunbookUrl}#partial-failure", partial.Text, StringComparison.Ordinal);
        Assert.Contains("Runbook: docs/runbook.md#httpstatus in the SurgiCase repository.", failed.Text, StringComparison.Ordinal);
        Assert.Contains("Runbook: docs/runbook.md#httpstatus in the SurgiCase repository.</li>", failed.Html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("docs/runbook.md")]
    [InlineData("ftp://wiki.example.com/runbook")]
    [InlineData("https://wiki.example.com/runbook#timeout")]
    public async Task A_runbook_url_that_is_not_absolute_http_without_a_fragment_stops_the_start_naming_the_key(string value)
    {
        await using var harness = DeliveryHarness.Create(moto, new Dictionary<string, string?> { ["Notifications:RunbookUrl"] = value });

        var error = Assert.Throws<OptionsValidationException>(() => harness.Services.GetRequiredService<IOptions<NotificationOptions>>().Value);

        Assert.Contains("Notifications:RunbookUrl must be an absolute http(s) URL without a fragment", error.Message, StringComparison.Ordinal);
    }
}
