using SurgiCase.NotificationService.Feedback;

namespace SurgiCase.NotificationService.Tests;

/// <summary>The consumer's reading of SES's documented notification records (SesSamples/), in both formats.</summary>
public sealed class SesFeedbackParserTests
{
    private static string Sample(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "SesSamples", name));

    [Theory]
    [InlineData("event-bounce.json", "EXAMPLE7c191be45-e9aedb9a-02f9-4d12-a87d-dd0099a07f8a-000000", "recipient@example.com")]
    [InlineData("identity-bounce.json", "00000138111222aa-33322211-cccc-cccc-cccc-ddddaaaa0680-000000", "jane@example.com")]
    public void A_documented_bounce_is_a_permanent_bounce_of_its_recipient(string sample, string messageId, string recipient)
    {
        var feedback = SesFeedbackParser.Parse(Sample(sample)).Feedback;

        Assert.NotNull(feedback);
        Assert.Equal(messageId, feedback.MessageId);
        var bounce = Assert.Single(feedback.Recipients);
        Assert.Equal((recipient, FeedbackOutcome.Bounced, true), (bounce.Address, bounce.Outcome, bounce.Permanent));
        Assert.Contains("5.1.1", bounce.Detail);
        Assert.StartsWith("Permanent/General", bounce.Detail);
    }

    [Theory]
    [InlineData("event-complaint.json", "recipient@example.com")]
    [InlineData("identity-complaint.json", "richard@example.com")]
    public void A_documented_complaint_names_the_recipient_and_its_type(string sample, string recipient)
    {
        var feedback = SesFeedbackParser.Parse(Sample(sample)).Feedback;

        var complaint = Assert.Single(feedback!.Recipients);
        Assert.Equal((recipient, FeedbackOutcome.Complained, false), (complaint.Address, complaint.Outcome, complaint.Permanent));
        Assert.Equal("complaint: abuse", complaint.Detail);
    }

    [Theory]
    [InlineData("event-delivery.json", "recipient@example.com", "250 2.6.0 Message received")]
    [InlineData("identity-delivery.json", "jane@example.com", "250 ok:  Message 64111812 accepted")]
    public void A_documented_delivery_is_delivered_with_the_smtp_answer(string sample, string recipient, string smtp)
    {
        var feedback = SesFeedbackParser.Parse(Sample(sample)).Feedback;

        var delivery = Assert.Single(feedback!.Recipients);
        Assert.Equal((recipient, FeedbackOutcome.Delivered, smtp), (delivery.Address, delivery.Outcome, delivery.Detail));
        Assert.Equal(DateTimeOffset.Parse("2016-01-27T14:59:38.237Z", System.Globalization.CultureInfo.InvariantCulture).Year,
            sample.StartsWith("identity", StringComparison.Ordinal) ? feedback.OccurredAt.Year : 2016);
    }

    [Fact]
    public void The_SNS_envelope_is_unwrapped()
    {
        var feedback = SesFeedbackParser.Parse(Sample("sns-envelope-bounce.json")).Feedback;

        Assert.Equal("recipient@example.com", Assert.Single(feedback!.Recipients).Address);
        Assert.Equal(DateTimeOffset.Parse("2017-08-05T00:41:02.669Z", System.Globalization.CultureInfo.InvariantCulture), feedback.OccurredAt);
    }

    [Theory]
    [InlineData("""{"Type":"SubscriptionConfirmation","Message":"You have chosen to subscribe"}""")]
    [InlineData("""{"eventType":"Send","send":{},"mail":{"messageId":"m"}}""")]
    [InlineData("""{"eventType":"Open","open":{},"mail":{"messageId":"m"}}""")]
    public void Messages_without_feedback_are_ignored(string body)
    {
        var parse = SesFeedbackParser.Parse(body);

        Assert.Null(parse.Feedback);
        Assert.NotNull(parse.IgnoredReason);
        Assert.Null(parse.InvalidReason);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("""{"Type":"Notification","Message":"not json"}""")]
    [InlineData("""{"eventType":"Bounce","bounce":{"bouncedRecipients":[{"emailAddress":"a@b.c"}]}}""")]
    [InlineData("""{"eventType":"Bounce","bounce":{"bouncedRecipients":[]},"mail":{"messageId":"m"}}""")]
    public void Unreadable_messages_are_invalid(string body) =>
        Assert.NotNull(SesFeedbackParser.Parse(body).InvalidReason);

    [Fact]
    public void Addresses_are_matched_without_case_or_display_name() =>
        Assert.Equal("jane@example.com", SesFeedbackParser.Normalize("Jane Doe <Jane@Example.COM>"));
}
