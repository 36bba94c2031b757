using System.Net;
using System.Text;
using System.Text.Json;
using System.Xml.Linq;

namespace SurgiCase.Aws;

/// <summary>
/// Turns a non-success AWS response into an <see cref="AwsServiceException"/>. Only the error code and
/// AWS's own error message are kept; the rest of the body is dropped so nothing else can leak.
/// </summary>
internal static class AwsErrorParser
{
    private const int MaxBodyBytes = 64 * 1024;
    private const int MaxMessageLength = 1024;

    public static async Task<AwsServiceException> ReadAsync(string service, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        response.Headers.TryGetValues("X-Amzn-ErrorType", out var values);
        var body = await ReadBoundedAsync(response.Content, cancellationToken).ConfigureAwait(false);
        return Parse(service, response.StatusCode, values?.FirstOrDefault(), body, response.ReasonPhrase);
    }

    public static AwsServiceException Parse(string service, HttpStatusCode status, string? errorTypeHeader, string? body, string? reasonPhrase = null)
    {
        var (bodyCode, bodyMessage) = ParseBody(body);
        var code = NormalizeCode(errorTypeHeader) ?? NormalizeCode(bodyCode) ?? FallbackCode(status);
        var message = bodyMessage ?? reasonPhrase ?? status.ToString();
        if (message.Length > MaxMessageLength)
        {
            message = message[..MaxMessageLength];
        }

        return new AwsServiceException(service, code, status, message);
    }

    /// <summary>
    /// <c>aws.protocols#ValidationException:http://internal.amazon.com/...</c> → <c>ValidationException</c>.
    /// </summary>
    public static string? NormalizeCode(string? raw)
    {
        if (string.IsNullOrWhiteSpace(raw))
        {
            return null;
        }

        var code = raw.Trim();
        var colon = code.IndexOf(':', StringComparison.Ordinal);
        if (colon >= 0)
        {
            code = code[..colon];
        }

        var hash = code.LastIndexOf('#');
        if (hash >= 0)
        {
            code = code[(hash + 1)..];
        }

        return code.Length == 0 ? null : code;
    }

    private static (string? Code, string? Message) ParseBody(string? body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return (null, null);
        }

        var trimmed = body.TrimStart();
        try
        {
            if (trimmed.StartsWith('{'))
            {
                using var doc = JsonDocument.Parse(trimmed);
                var root = doc.RootElement;
                var code = StringProperty(root, "__type") ?? StringProperty(root, "code") ?? StringProperty(root, "Code");
                var message = StringProperty(root, "message") ?? StringProperty(root, "Message");
                return (code, message);
            }

            // moto (and the AWS Query protocol) answer some errors, e.g. auth failures, in XML.
            if (trimmed.StartsWith('<'))
            {
                var doc = XDocument.Parse(trimmed);
                var code = doc.Descendants().FirstOrDefault(e => e.Name.LocalName == "Code")?.Value;
                var message = doc.Descendants().FirstOrDefault(e => e.Name.LocalName == "Message")?.Value;
                return (code, message);
            }
        }
        catch (Exception e) when (e is JsonException or System.Xml.XmlException)
        {
            // An unreadable error body still yields a code from the header or the status.
        }

        return (null, null);
    }

    private static string? StringProperty(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object
        && element.TryGetProperty(name, out var value)
        && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    private static string FallbackCode(HttpStatusCode status) =>
        Enum.IsDefined(status) ? status.ToString() : $"Http{(int)status}";

    private static async Task<string?> ReadBoundedAsync(HttpContent content, CancellationToken cancellationToken)
    {
        await using var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        var buffer = new byte[MaxBodyBytes];
        var total = 0;
        int read;
        while (total < buffer.Length
               && (read = await stream.ReadAsync(buffer.AsMemory(total), cancellationToken).ConfigureAwait(false)) > 0)
        {
            total += read;
        }

        return total == 0 ? null : Encoding.UTF8.GetString(buffer, 0, total);
    }
}
