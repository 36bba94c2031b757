using System.ComponentModel.DataAnnotations;

namespace SurgiCase.LocalAwsProxy.Faults;

/// <summary>
/// An AWS failure to answer instead of forwarding to moto, for one emulated service
/// (<c>secretsmanager</c>, <c>ses</c>, <c>sqs</c>) or all of them (<c>*</c>).
/// Mode <c>error</c> answers the AWS-shaped error; <c>timeout</c> holds the request for
/// <see cref="DelaySeconds"/> and then drops the connection; <c>refuse</c> drops it at once.
/// </summary>
public sealed record AwsFault
{
    public static readonly string[] Modes = ["error", "timeout", "refuse"];

    [Required]
    public string Service { get; init; } = "secretsmanager";

    public string Mode { get; init; } = "error";

    public string ErrorCode { get; init; } = "InternalServiceError";

    [Range(400, 599)]
    public int Status { get; init; } = 500;

    public string Message { get; init; } = "Dependency exception";

    [Range(0, 600)]
    public int DelaySeconds { get; init; } = 30;

    /// <summary>Only requests whose X-Amz-Target ends with this action fail (e.g. <c>GetSecretValue</c>); null means all.</summary>
    public string? Action { get; init; }

    public IEnumerable<string> Validate()
    {
        if (!Modes.Contains(Mode))
        {
            yield return $"mode must be one of {string.Join(", ", Modes)}.";
        }

        if (string.IsNullOrWhiteSpace(Service))
        {
            yield return "service is required: secretsmanager, ses, sqs or *.";
        }

        if (Status is < 400 or > 599)
        {
            yield return "status must be between 400 and 599.";
        }

        if (string.IsNullOrWhiteSpace(ErrorCode))
        {
            yield return "errorCode is required, e.g. InternalServiceError.";
        }
    }
}
