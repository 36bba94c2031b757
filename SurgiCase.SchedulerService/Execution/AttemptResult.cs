using SurgiCase.Messaging.Contracts;

namespace SurgiCase.SchedulerService.Execution;

/// <summary>What one HTTP attempt of a job came to, already classified the way the seed classifies failures.</summary>
internal sealed record AttemptResult
{
    public required string Outcome { get; init; }

    public string? ErrorKind { get; init; }

    public string? ErrorMessage { get; init; }

    public Exception? Exception { get; init; }

    public int? StatusCode { get; init; }

    public TimeSpan Duration { get; init; }

    public PartialResult? Partial { get; init; }

    /// <summary>Whether another attempt could help: a dead or overloaded API can come back; a 4xx or a bad body will not.</summary>
    public bool IsTransient => ErrorKind switch
    {
        ErrorKinds.Timeout or ErrorKinds.ConnectionFailed or ErrorKinds.SecretsUnavailable => true,
        ErrorKinds.HttpStatus => StatusCode is >= 500 or 408 or 429,
        _ => false,
    };
}

/// <summary>The counts a report endpoint answered with when some of its items failed.</summary>
internal sealed record PartialResult(int Succeeded, int Failed, int Total, IReadOnlyList<string> FailedItems, IReadOnlyList<string> Warnings);
