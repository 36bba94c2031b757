namespace SurgiCase.SchedulerService.Jobs;

/// <summary>Bound from the <c>Scheduler</c> configuration section.</summary>
public sealed class SchedulerOptions
{
    public const string SectionName = "Scheduler";

    /// <summary>Folder of the SQLite file holding run history (created if missing).</summary>
    public string DataDirectory { get; set; } = "./.data";

    /// <summary>Manual and scheduled runs executed at the same time, at most.</summary>
    public int MaxConcurrentRuns { get; set; } = 4;

    public List<JobDefinition> Jobs { get; set; } = [];
}

/// <summary>Bound from <c>SurgiCaseApi</c>: where relative job URLs point.</summary>
public sealed class SurgiCaseApiOptions
{
    public const string SectionName = "SurgiCaseApi";

    public Uri BaseAddress { get; set; } = new("http://api-simulator");
}
