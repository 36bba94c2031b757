using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace SurgiCase.Operations;

/// <summary>Bound from the <c>Operations</c> section: where the page's side panels read from, and where traces are shown.</summary>
public sealed class OperationsOptions
{
    public const string SectionName = "Operations";

    /// <summary>The Aspire dashboard; a run links to <c>{DashboardUrl}/traces/detail/{traceId}</c>.</summary>
    [Required(ErrorMessage = "Operations:DashboardUrl is required: the Aspire dashboard's address, for trace links.")]
    public Uri DashboardUrl { get; set; } = new("http://localhost:18888");

    [Required(ErrorMessage = "Operations:NotificationsBaseAddress is required: where NotificationService answers.")]
    public Uri NotificationsBaseAddress { get; set; } = new("http://notification-service");

    /// <summary>
    /// The key the page presents to NotificationService: its read-only caller's (<c>operations-page</c>), which may read
    /// and acknowledge alerts but not send. Empty: the alerts panel says it is not configured, the rest of the page
    /// works. Never logged or rendered.
    /// </summary>
    public string? NotificationsApiKey { get; set; }

    /// <summary>
    /// The key the page presents to SecretsService to read the cache's status (the <c>operations-page</c> caller, which
    /// reads no values). Unset: the key of the SecretsService section (<see cref="SecretsCacheOptions.ApiKey"/>).
    /// </summary>
    public string? SecretsApiKey { get; set; }

    /// <summary>Alerts shown on the overview.</summary>
    [Range(1, 100)]
    public int RecentAlerts { get; set; } = 8;

    /// <summary>Runs shown on a job's history page.</summary>
    [Range(1, 500)]
    public int HistoryRuns { get; set; } = 50;

    /// <summary>How long a side panel waits for its service before saying it is unreachable.</summary>
    [Range(typeof(TimeSpan), "00:00:00.1", "00:01:00")]
    public TimeSpan PanelTimeout { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>How often the page refreshes itself.</summary>
    [Range(1, 3600)]
    public int RefreshSeconds { get; set; } = 5;

    /// <summary>How long a sign-in lasts without activity.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "7.00:00:00")]
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(8);

    /// <summary>
    /// How long a sign-in lasts at most, however active: the page refreshes itself, so without this an open tab would
    /// keep a session alive forever.
    /// </summary>
    [Range(typeof(TimeSpan), "00:01:00", "30.00:00:00")]
    public TimeSpan SessionMaxAge { get; set; } = TimeSpan.FromHours(12);

    /// <summary>
    /// Signing in to the page with the operator key, for an emergency when single sign-on is down. Null: on in Development
    /// while no <c>Operations:Oidc:Authority</c> is set, off everywhere else. Logged as a warning at start when on outside
    /// Development.
    /// </summary>
    public bool? BreakGlassKeySignIn { get; set; }

    /// <summary>Whether the operator key signs in to the page (see <see cref="BreakGlassKeySignIn"/>).</summary>
    internal bool KeyBreakGlass(bool development, bool oidcEnabled = false) => BreakGlassKeySignIn ?? (development && !oidcEnabled);

    /// <summary>Sign-in attempts (POST /signin) allowed per client IP address per minute; more answer 429.</summary>
    [Range(1, 1000)]
    public int SignInAttemptsPerMinute { get; set; } = 10;

    /// <summary>
    /// Requests to emailed acknowledge links (GET and POST /ack/{token}) allowed per client IP address per minute; more
    /// answer 429. Slows down guessing tokens; a person needs two per alert.
    /// </summary>
    [Range(1, 10_000)]
    public int AcknowledgeLinkRequestsPerMinute { get; set; } = 30;
}

/// <summary>
/// Where the SecretsService is and the key the page presents to read its cache (values are never returned). Bound from
/// the section the host names, by default its own SecretsService client's (<c>SecretsClient</c>), so one key serves both.
/// </summary>
public sealed class SecretsCacheOptions
{
    public const string DefaultSectionName = "SecretsClient";

    [Required(ErrorMessage = "BaseAddress is required in the SecretsService section the operations page reads (SecretsClient by default).")]
    public Uri BaseAddress { get; set; } = new("http://secrets-service");

    /// <summary>Without one the SecretsService answers 401 and the panel says so. Never logged or rendered.</summary>
    public string? ApiKey { get; set; }
}

[OptionsValidator]
internal sealed partial class OperationsOptionsValidator : IValidateOptions<OperationsOptions>
{
    // Validated under the section's name, so a message names the key ("Operations.RefreshSeconds"), not the class.
    ValidateOptionsResult IValidateOptions<OperationsOptions>.Validate(string? name, OperationsOptions options) => Validate(OperationsOptions.SectionName, options);
}

[OptionsValidator]
internal sealed partial class SecretsCacheOptionsValidator : IValidateOptions<SecretsCacheOptions>;
