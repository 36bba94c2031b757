namespace SurgiCase.Aws;

/// <summary>An email with an HTML part and a plain-text part.</summary>
public sealed record EmailMessage(string From, IReadOnlyList<string> To, string Subject, string HtmlBody, string TextBody);

/// <summary>The slice of Amazon SES v2 we use. Throws <see cref="AwsServiceException"/> on any failure.</summary>
public interface ISesEmailClient
{
    /// <returns>The SES message id.</returns>
    Task<string> SendEmailAsync(EmailMessage message, CancellationToken cancellationToken = default);
}
