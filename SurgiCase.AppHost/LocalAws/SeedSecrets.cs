using System.Security.Cryptography;
using System.Text.Json;

namespace SurgiCase.AppHost.LocalAws;

/// <summary>
/// The nine secrets the seed's jobs read, with local values. <c>surgicase/api</c> holds the key the
/// report jobs send to the SurgiCase API; the API simulator is given the same key to check.
/// <c>surgicase/slack</c> points at the simulator's Slack stand-in, the alerts' fallback channel.
/// </summary>
internal static class SeedSecrets
{
    public const string SenderAddress = "alerts@surgicase.local";

    /// <summary>The secret whose presence tells that the local AWS has been provisioned.</summary>
    public const string Marker = "surgicase/main";

    public static IReadOnlyDictionary<string, string> Create(string surgiCaseApiKey, string slackWebhookUrl) => new Dictionary<string, string>
    {
        ["surgicase/main"] = Json(new
        {
            job_failure_recipients = "ops@surgicase.local,admin@surgicase.local",
            admin_email = "admin@surgicase.local",
        }),
        ["surgicase/api"] = Json(new { api_key = surgiCaseApiKey }),
        ["surgicase/database"] = Json(new { host = "127.0.0.1", username = "surgicase", password = RandomValue() }),
        ["surgicase/email"] = Json(new { smtp_user = "surgicase", smtp_password = RandomValue() }),
        ["surgicase/s3-reports"] = Json(new { bucket = "surgicase-reports", access_key = RandomValue(), secret_key = RandomValue() }),
        ["surgicase/npi-registry"] = Json(new { api_token = RandomValue() }),
        ["surgicase/backup"] = Json(new { encryption_key = RandomValue() }),
        ["surgicase/slack"] = Json(new { webhook_url = slackWebhookUrl }),
        ["surgicase/payments"] = Json(new { api_key = RandomValue() }),
    };

    private static string Json(object value) => JsonSerializer.Serialize(value);

    private static string RandomValue() => Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();
}
