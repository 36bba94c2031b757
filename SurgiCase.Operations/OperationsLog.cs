namespace SurgiCase.Operations;

internal static partial class OperationsLog
{
    [LoggerMessage(EventId = 101, Level = LogLevel.Warning, Message = "Operations page: {Service} unreachable ({Reason})")]
    public static partial void PanelUnreachable(ILogger logger, string service, string reason);

    [LoggerMessage(EventId = 102, Level = LogLevel.Warning, Message = "Operations page: {Service} answered {StatusCode}")]
    public static partial void PanelRefused(ILogger logger, string service, int statusCode);

    [LoggerMessage(EventId = 103, Level = LogLevel.Information, Message = "Operator signed in to the operations page from {RemoteIp}")]
    public static partial void SignedIn(ILogger logger, string? remoteIp);

    [LoggerMessage(EventId = 104, Level = LogLevel.Warning, Message = "Rejected operations page sign-in from {RemoteIp}: wrong key")]
    public static partial void SignInRejected(ILogger logger, string? remoteIp);

    [LoggerMessage(EventId = 105, Level = LogLevel.Warning, Message = "Rejected operations page {Method} {Path}: missing or invalid antiforgery token")]
    public static partial void AntiforgeryRejected(ILogger logger, string method, string path);

    [LoggerMessage(EventId = 106, Level = LogLevel.Information, Message = "Job {JobId} {Action} by {Actor} from the operations page")]
    public static partial void JobActionTaken(ILogger logger, string jobId, string action, string actor);

    [LoggerMessage(EventId = 107, Level = LogLevel.Warning, Message = "Rejected operations page sign-in from {RemoteIp}: too many attempts")]
    public static partial void SignInRateLimited(ILogger logger, string? remoteIp);

    [LoggerMessage(EventId = 108, Level = LogLevel.Information, Message = "Operations page session ended: {Reason}")]
    public static partial void SessionEnded(ILogger logger, string reason);

    [LoggerMessage(EventId = 109, Level = LogLevel.Information, Message = "Alert {AlertId} acknowledged by {Actor} from the operations page")]
    public static partial void AlertAcknowledged(ILogger logger, long alertId, string actor);

    [LoggerMessage(EventId = 131, Level = LogLevel.Information, Message = "Dead letters replayed by {Actor} from the operations page: {Replayed} sent back, {SkippedPoison} poison left")]
    public static partial void DeadLettersReplayed(ILogger logger, string actor, int replayed, int skippedPoison);

    [LoggerMessage(EventId = 132, Level = LogLevel.Information, Message = "Test alert {AlertId} sent by {Actor} from the operations page")]
    public static partial void TestAlertSent(ILogger logger, long alertId, string actor);

    [LoggerMessage(EventId = 140, Level = LogLevel.Information, Message = "{DisplayName} ({Subject}) signed in to the operations page by single sign-on as {Roles}")]
    public static partial void SignedInWithOidc(ILogger logger, string displayName, string subject, string roles);

    [LoggerMessage(EventId = 141, Level = LogLevel.Warning, Message = "Operations page sign-in refused for subject {Subject}: no operator or viewer value in claim {RoleClaim}")]
    public static partial void SignInWithoutRole(ILogger logger, string subject, string roleClaim);

    [LoggerMessage(EventId = 142, Level = LogLevel.Warning, Message = "Operations page single sign-on failed: {Reason}")]
    public static partial void SignInFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 143, Level = LogLevel.Warning, Message = "Break-glass sign-in with the operator key is ON outside Development (Operations:BreakGlassKeySignIn=true): switch it off once single sign-on works again")]
    public static partial void BreakGlassOn(ILogger logger);

    [LoggerMessage(EventId = 144, Level = LogLevel.Information, Message = "{Actor} signed out of the operations page; the session is revoked")]
    public static partial void SignedOut(ILogger logger, string actor);
}
