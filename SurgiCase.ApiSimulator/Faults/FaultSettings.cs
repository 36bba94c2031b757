namespace SurgiCase.ApiSimulator.Faults;

/// <summary>What the simulator should do to the report calls it receives, as sent to <c>POST /faults</c>.</summary>
public sealed record FaultSettings
{
    public string Mode { get; init; } = FaultModes.Ok;

    /// <summary>HTTP status answered in <see cref="FaultModes.Error"/> mode.</summary>
    public int? Status { get; init; }

    /// <summary>Delay before answering in <see cref="FaultModes.Slow"/> mode.</summary>
    public double? DelaySeconds { get; init; }

    /// <summary>
    /// In <see cref="FaultModes.Slow"/> mode: keep working when the client gives up (a timed-out caller), as a real API's
    /// worker does, so a repeat of the same <c>Idempotency-Key</c> is answered 409 until the work is done and then gets
    /// its stored result. Off (the default): the work stops with the client and the repeat does it again.
    /// </summary>
    public bool? ContinueAfterDisconnect { get; init; }

    /// <summary>Only requests whose path starts with this prefix are affected; all report routes when empty.</summary>
    public string? Path { get; init; }

    /// <summary>How many failed items a <see cref="FaultModes.Partial"/> answer reports (beside 40 that succeeded); 3 when empty.</summary>
    public int? FailedItems { get; init; }

    /// <summary>Length in characters of each failed item's text in <see cref="FaultModes.Partial"/> mode, to replay an oversized answer.</summary>
    public int? ItemLength { get; init; }

    /// <summary>How many matching requests get the fault before the simulator heals itself; unlimited when empty.</summary>
    public int? Times { get; init; }
}

public static class FaultModes
{
    public const string Ok = "ok";
    public const string Error = "error";
    public const string Slow = "slow";
    public const string Reset = "reset";
    public const string Partial = "partial";

    public static readonly IReadOnlyList<string> All = [Ok, Error, Slow, Reset, Partial];
}
