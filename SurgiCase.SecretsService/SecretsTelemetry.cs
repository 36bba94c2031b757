using System.Diagnostics;

namespace SurgiCase.SecretsService;

/// <summary>
/// The "secrets lookup" span: secret name, how it was answered and the AWS error code of a failed one. Never the value:
/// the span is built from <see cref="SecretLookupResult"/> fields that cannot hold one.
/// </summary>
internal static class SecretsTelemetry
{
    public const string SourceName = "SurgiCase.SecretsService";
    public const string LookupSpanName = "secrets lookup";
    public const string NameTag = "secret.name";
    public const string SourceTag = "secret.source";
    public const string ErrorTypeTag = "error.type";

    // Static, like the other SurgiCase libraries' sources: ServiceDefaults exports "SurgiCase.*".
    public static readonly ActivitySource Source = new(SourceName);

    /// <summary>Null when nobody listens.</summary>
    public static Activity? StartLookup(string name)
    {
        var activity = Source.StartActivity(LookupSpanName, ActivityKind.Internal);
        activity?.SetTag(NameTag, name);
        return activity;
    }

    /// <summary>Tags the outcome; the caller stops the span.</summary>
    public static void Tag(Activity? activity, in SecretLookupResult result)
    {
        if (activity is null)
        {
            return;
        }

        if (result.Secret is not null)
        {
            activity.SetTag(SourceTag, SourceNames.For(result.Source));
        }
        else if (result.Error is { } error)
        {
            activity.SetTag(ErrorTypeTag, error.ErrorCode);
            activity.SetStatus(ActivityStatusCode.Error, error.ErrorCode);
        }
    }
}

/// <summary>The wire and telemetry form of <see cref="SecretSource"/>.</summary>
internal static class SourceNames
{
    public const string Fresh = "fresh";
    public const string Cached = "cached";
    public const string Stale = "stale";

    public static string For(SecretSource source) => source switch
    {
        SecretSource.Fresh => Fresh,
        SecretSource.Cached => Cached,
        _ => Stale,
    };
}
