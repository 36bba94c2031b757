using System.Globalization;
using System.Net.Mail;
using Constructs;

namespace SurgiCase.Deploy;

/// <summary>Typed reads of context values, which arrive as strings from <c>-c</c> and as JSON values from cdk.json.</summary>
internal sealed class ContextReader(Node node)
{
    public string? Optional(string key) =>
        node.TryGetContext(key) switch
        {
            null => null,
            string s when string.IsNullOrWhiteSpace(s) => null,
            var value => Convert.ToString(value, CultureInfo.InvariantCulture)?.Trim(),
        };

    public string Required(string key) =>
        Optional(key) ?? throw new ContextException(key, "is required");

    public string Email(string key)
    {
        var value = Required(key);
        return MailAddress.TryCreate(value, out var address) && address.Address == value
            ? value
            : throw new ContextException(key, $"'{value}' is not an email address");
    }

    public int Int(string key, int fallback, int min, int max)
    {
        var text = Optional(key);
        if (text is null)
        {
            return fallback;
        }

        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw new ContextException(key, $"'{text}' must be a whole number from {min} to {max}");
    }

    public bool Bool(string key, bool fallback) =>
        Optional(key) switch
        {
            null => fallback,
            var text when bool.TryParse(text, out var value) => value,
            var text => throw new ContextException(key, $"'{text}' must be true or false"),
        };

    public Uri? AbsoluteUri(string key)
    {
        var text = Optional(key);
        if (text is null)
        {
            return null;
        }

        return Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? uri
            : throw new ContextException(key, $"'{text}' must be an absolute http(s) URL");
    }
}

/// <summary>A bad deployment setting; the message names the context key.</summary>
internal sealed class ContextException(string key, string problem)
    : Exception($"CDK context '{key}' {problem}. Set it in cdk.json or pass -c {key}=…")
{
    public string Key { get; } = key;
}
