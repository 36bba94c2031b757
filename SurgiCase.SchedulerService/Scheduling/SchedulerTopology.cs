namespace SurgiCase.SchedulerService.Scheduling;

/// <summary>Which Quartz scheduler holds which jobs. Without a PostgreSQL connection every job is in the in-memory one.</summary>
internal sealed record SchedulerTopology(bool Clustered)
{
    /// <summary>The clustered scheduler's name; every replica must use the same, it is the cluster's key in the store.</summary>
    public const string ClusteredSchedulerName = "surgicase-cluster";
}
