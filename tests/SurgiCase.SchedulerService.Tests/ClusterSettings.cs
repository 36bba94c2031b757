using SurgiCase.Testing;

namespace SurgiCase.SchedulerService.Tests;

/// <summary>The settings that put the scheduler in cluster mode on a test database: history in PostgreSQL, Quartz clustered on it.</summary>
internal static class ClusterSettings
{
    public static IReadOnlyDictionary<string, string?> For(PostgresTestDatabase database) => new Dictionary<string, string?>
    {
        ["ConnectionStrings:Scheduler"] = database.Scheduler,
        ["Scheduler:ClusterCheckinInterval"] = "00:00:02",
    };
}
