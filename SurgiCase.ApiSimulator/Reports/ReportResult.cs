namespace SurgiCase.ApiSimulator;

/// <summary>The body a report endpoint answers with; <c>failed &gt; 0</c> is a partial failure.</summary>
public sealed record ReportResult(
    int Succeeded,
    int Failed,
    int Total,
    IReadOnlyList<string> FailedItems,
    string Report,
    DateTimeOffset GeneratedAt);
