namespace SurgiCase.IdentityProvider;

internal static partial class IdentityProviderLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "{UserName} signed in at the local identity provider")]
    public static partial void SignedIn(ILogger logger, string userName);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "Sign-in refused for user name {UserName}: unknown user or wrong password")]
    public static partial void SignInRefused(ILogger logger, string userName);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "Client {ClientId} registered with redirect URI {RedirectUri}; {People} people seeded")]
    public static partial void Seeded(ILogger logger, string clientId, Uri redirectUri, int people);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "Code issued to client {ClientId} for {Subject}")]
    public static partial void CodeIssued(ILogger logger, string? clientId, string subject);
}
