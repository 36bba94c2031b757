using Microsoft.AspNetCore.Http;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// The headers an alert email's HTML is served with, wherever it is previewed (NotificationService's
/// <c>/notifications/{id}/preview</c> and the operations page's frame): the HTML quotes a job's error text, so it gets no
/// script, no network, no forms, and only its own site may frame it.
/// </summary>
public static class EmailPreviewSecurity
{
    public const string ContentSecurityPolicy =
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:; form-action 'none'; frame-ancestors 'self'; base-uri 'none'; sandbox";

    public static void Apply(IHeaderDictionary headers)
    {
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "SAMEORIGIN";
        headers.CacheControl = "no-store";
        headers["Referrer-Policy"] = "no-referrer";
    }
}
