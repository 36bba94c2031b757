using SurgiCase.Messaging.Contracts;
using SurgiCase.NotificationService.Rendering;

namespace SurgiCase.NotificationService.Tests;

public sealed class EmailRendererTests
{
    private static readonly RenderContext Context = new("0af7651916cd43dd8448eb211c80319c", new Uri("http://localhost:5100/"));

    [Fact]
    public void An_acknowledge_link_is_a_button_in_the_html_and_a_line_in_the_text()
    {
        var content = EmailRenderer.Describe(TestEvents.Failed(), Context) with { AcknowledgeUrl = new Uri("http://localhost:5100/ack/abc-_123") };

        var email = EmailRenderer.Render(content);
        var without = EmailRenderer.Render(content with { AcknowledgeUrl = null });

        Assert.Contains("<a data-role=\"acknowledge\" href=\"http://localhost:5100/ack/abc-_123\"", email.Html, StringComparison.Ordinal);
        Assert.Contains(">Acknowledge</a>", email.Html, StringComparison.Ordinal);
        Assert.Contains("ACKNOWLEDGE (stops the reminders, no sign-in needed): http://localhost:5100/ack/abc-_123", email.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("acknowledge", without.Html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("ACKNOWLEDGE", without.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Subjects_follow_the_seed_for_each_kind()
    {
        Assert.Equal("🚨 CRITICAL: Scheduled Job Failed - Weekly Provider Payment Report", EmailRenderer.Render(TestEvents.Failed(), Context).Subject);
        Assert.Equal("⚠️ Scheduled Job Partially Failed - Weekly Individual Provider Reports", EmailRenderer.Render(TestEvents.Partial(), Context).Subject);
        Assert.Equal("✅ RESOLVED: Scheduled Job Recovered - Weekly Provider Payment Report", EmailRenderer.Render(TestEvents.Recovered(), Context).Subject);
    }

    [Fact]
    public void Script_in_an_error_message_is_escaped_in_the_html()
    {
        var failed = TestEvents.Failed(errorMessage: "<script>alert('x')</script> & \"quoted\"") with
        {
            JobName = "Report <b>bold</b>",
            Details = new Dictionary<string, string> { ["<img src=x onerror=1>"] = "<iframe>" },
            Troubleshooting = ["<a href='javascript:1'>click</a>"],
        };

        var html = EmailRenderer.Render(failed, Context).Html;

        Assert.DoesNotContain("<script>", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<b>bold", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<img", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<iframe", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<a href='javascript", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;quoted&quot;", html, StringComparison.Ordinal);
    }

    [Fact]
    public void A_line_break_in_a_job_name_does_not_reach_the_subject()
    {
        var failed = TestEvents.Failed() with { JobName = "Report\r\nBcc: attacker@example.com" };
        var subject = EmailRenderer.Render(failed, Context).Subject;
        Assert.DoesNotContain('\r', subject);
        Assert.DoesNotContain('\n', subject);
    }

    [Fact]
    public void Failure_email_has_every_section_in_html_and_text()
    {
        var email = EmailRenderer.Render(TestEvents.Failed(), Context with { Notes = ["Sent to admin_email because ..."] });

        foreach (var part in new[] { email.Html, email.Text })
        {
            Assert.Contains("Weekly Provider Payment Report", part, StringComparison.Ordinal);
            Assert.Contains("2025-10-20 09:00:05 UTC", part, StringComparison.Ordinal);
            Assert.Contains("API returned 500 Internal Server Error", part, StringComparison.Ordinal);
            Assert.Contains("System.Net.Http.HttpRequestException: Response status code does not indicate success: 500", part, StringComparison.Ordinal);
            Assert.Contains("at Quartz.Core.JobRunShell.Run()", part, StringComparison.Ordinal);
            Assert.Contains("/reports/provider-payments", part, StringComparison.Ordinal);
            Assert.Contains("Check if the API server is running", part, StringComparison.Ordinal);
            Assert.Contains("run-20251020-0900", part, StringComparison.Ordinal);
            Assert.Contains("0af7651916cd43dd8448eb211c80319c", part, StringComparison.Ordinal);
            Assert.Contains("http://localhost:5100/", part, StringComparison.Ordinal);
            Assert.Contains("Sent to admin_email because ...", part, StringComparison.Ordinal);
            Assert.Contains("scheduler-1", part, StringComparison.Ordinal);
        }

        Assert.Contains("<pre style=\"font-family:Consolas", email.Html, StringComparison.Ordinal);
        Assert.Contains("max-width:600px", email.Html, StringComparison.Ordinal);
        Assert.Contains("background:#c62828", email.Html, StringComparison.Ordinal);
        Assert.Contains("<ol", email.Html, StringComparison.Ordinal);
    }

    [Fact]
    public void Each_kind_has_its_own_header_colour()
    {
        Assert.Contains("background:#e65100", EmailRenderer.Render(TestEvents.Partial(), Context).Html, StringComparison.Ordinal);
        Assert.Contains("background:#2e7d32", EmailRenderer.Render(TestEvents.Recovered(), Context).Html, StringComparison.Ordinal);
    }

    [Fact]
    public void Partial_failure_lists_the_failed_items_and_counts()
    {
        var email = EmailRenderer.Render(TestEvents.Partial(), Context);
        foreach (var part in new[] { email.Html, email.Text })
        {
            Assert.Contains("2 of 42 items failed; 40 succeeded.", part, StringComparison.Ordinal);
            Assert.Contains("provider-17", part, StringComparison.Ordinal);
            Assert.Contains("slow response from NPI registry", part, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Recovery_says_how_long_the_job_was_down()
    {
        var email = EmailRenderer.Render(TestEvents.Recovered(), Context);
        Assert.Contains("after 3 failed run(s)", email.Text, StringComparison.Ordinal);
        Assert.Contains("4 h 0 min", email.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void An_automatic_recovery_says_so_and_names_what_answered_again()
    {
        var automatic = TestEvents.Recovered() with { Trigger = Triggers.Recovery, Dependency = "the SurgiCase API (api.example:443)" };
        var email = EmailRenderer.Render(automatic, Context);
        const string sentence = "Recovered automatically: SurgiCase re-ran the job after the SurgiCase API (api.example:443) answered again.";
        Assert.Contains(sentence, email.Text, StringComparison.Ordinal);
        Assert.Contains(sentence, email.Html, StringComparison.Ordinal);
        Assert.Contains("recovery (automatic)", email.Text, StringComparison.Ordinal);
        Assert.StartsWith(EmailRenderer.RecoveredSubjectPrefix, email.Subject, StringComparison.Ordinal);

        // A run someone started (or the schedule) is not called automatic; a dependency name is HTML-escaped.
        var manual = EmailRenderer.Render(TestEvents.Recovered() with { Trigger = Triggers.Manual }, Context);
        Assert.DoesNotContain("automatically", manual.Text, StringComparison.Ordinal);
        var hostile = EmailRenderer.Render(automatic with { Dependency = "<b>api</b>" }, Context);
        Assert.Contains("&lt;b&gt;api&lt;/b&gt;", hostile.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>api</b>", hostile.Html, StringComparison.Ordinal);
    }

    [Fact]
    public void Default_troubleshooting_steps_are_used_when_the_event_has_none()
    {
        var failed = TestEvents.Failed(errorKind: "ConnectionFailed") with { Troubleshooting = null };
        Assert.Contains("Check if the API server is running", EmailRenderer.Render(failed, Context).Text, StringComparison.Ordinal);
    }
}
