using System.Net;

namespace SurgiCase.Testing;

/// <summary>What AWS does instead of answering normally: the failures moto cannot produce.</summary>
public abstract record AwsFault
{
    public static AwsFault InternalServiceError { get; } = Error("InternalServiceError", HttpStatusCode.InternalServerError);

    public static AwsFault ServiceUnavailable { get; } = Error("ServiceUnavailable", HttpStatusCode.ServiceUnavailable);

    public static AwsFault Throttling { get; } = Error("ThrottlingException", HttpStatusCode.BadRequest);

    /// <summary>The request fails the way HttpClient reports its own timeout, without waiting for it.</summary>
    public static AwsFault Timeout { get; } = new TimeoutFault();

    /// <summary>Waits until the caller's token (the client's real timeout) cancels the call.</summary>
    public static AwsFault Hang { get; } = new HangFault();

    /// <summary>The request goes to a closed loopback port: a real refused connection.</summary>
    public static AwsFault Refused { get; } = new RefusedFault();

    /// <summary>The credential provider fails the way the SDK reports it (STS or the instance metadata service down).</summary>
    public static AwsFault CredentialsUnavailable { get; } = new CredentialsFault();

    /// <summary>An exception nobody translates: a bug or a failure mode no one foresaw.</summary>
    public static AwsFault Unexpected { get; } = new UnexpectedFault();

    /// <summary>An AWS error in the JSON protocols' shape: <c>X-Amzn-ErrorType</c> header and <c>__type</c> body.</summary>
    public static AwsFault Error(string code, HttpStatusCode status) => new ErrorFault(code, status);

    /// <summary>An answer exactly as given (a garbled body, an error in another shape).</summary>
    public static AwsFault Respond(HttpStatusCode status, string body, string? errorTypeHeader = null) => new RawFault(status, body, errorTypeHeader);

    public sealed record ErrorFault(string Code, HttpStatusCode Status) : AwsFault;

    public sealed record RawFault(HttpStatusCode Status, string Body, string? ErrorTypeHeader) : AwsFault;

    public sealed record TimeoutFault : AwsFault;

    public sealed record HangFault : AwsFault;

    public sealed record RefusedFault : AwsFault;

    public sealed record CredentialsFault : AwsFault;

    public sealed record UnexpectedFault : AwsFault;
}
