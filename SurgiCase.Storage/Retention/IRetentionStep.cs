namespace SurgiCase.Storage.Retention;

/// <summary>One kind of old data a service removes (or thins) on its retention sweep.</summary>
public interface IRetentionStep
{
    /// <summary>Names the step in log lines, e.g. <c>outbox</c>.</summary>
    string Name { get; }

    /// <summary>Removes what is older than the step's configured period at <paramref name="now"/>; returns the rows changed.</summary>
    Task<int> SweepAsync(DateTimeOffset now, CancellationToken cancellationToken);
}
