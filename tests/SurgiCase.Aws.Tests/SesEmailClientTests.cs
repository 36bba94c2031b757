using SurgiCase.Testing;

namespace SurgiCase.Aws.Tests;

[Collection(MotoCollection.Name)]
public sealed class SesEmailClientTests(MotoServer moto)
{
    private const string Sender = "alerts@surgicase.local";

    [Fact]
    public async Task SendEmail_from_a_verified_identity_reaches_moto_with_html_body()
    {
        await moto.VerifyEmailIdentityAsync(Sender);
        using var host = new AwsTestHost(moto.Url);
        var subject = $"Job failed {Guid.NewGuid():N}";

        var messageId = await host.Ses.SendEmailAsync(new EmailMessage(
            Sender,
            ["ops@surgicase.local", "admin@surgicase.local"],
            subject,
            "<h1>weekly-provider-payment-report failed</h1>",
            "weekly-provider-payment-report failed"));

        Assert.False(string.IsNullOrWhiteSpace(messageId));
        var sent = Assert.Single(await moto.GetSentEmailsAsync(), m => m.Subject == subject);
        Assert.Equal(Sender, sent.Source);
        Assert.Equal(["ops@surgicase.local", "admin@surgicase.local"], sent.To);
        Assert.Equal("<h1>weekly-provider-payment-report failed</h1>", sent.Body);
    }

    [Fact]
    public async Task SendEmail_from_an_unverified_address_throws_MessageRejected()
    {
        using var host = new AwsTestHost(moto.Url);

        var e = await Assert.ThrowsAsync<AwsServiceException>(() => host.Ses.SendEmailAsync(new EmailMessage(
            $"nobody-{Guid.NewGuid():N}@unverified.example", ["ops@surgicase.local"], "s", "<p>h</p>", "t")));

        Assert.Equal("ses", e.Service);
        Assert.Equal("MessageRejected", e.ErrorCode);
        Assert.False(e.IsTransient);
    }
}
