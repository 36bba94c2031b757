using Microsoft.Extensions.Options;

namespace SurgiCase.ApiSimulator.Reports;

/// <summary>One route the simulator serves: a scheduled job's method and path.</summary>
internal sealed record ReportRoute(string JobId, string Method, string Path);

/// <summary>
/// The report routes come from the scheduler's own job list (<c>Scheduler:Jobs</c>), so a job added there is served
/// here with nothing else changed. The list is read from <see cref="FileName"/> (the scheduler's appsettings.json,
/// copied beside the simulator at build) under this host's own configuration, which wins key by key as it does for the
/// scheduler (<c>Scheduler__Jobs__7__url</c> in the environment adds or changes a route).
/// </summary>
internal static class ConfiguredReports
{
    public const string FileName = "scheduler-jobs.json";
    public const string SectionName = "Scheduler:Jobs";
    public const string PathPrefix = "/api/";

    public static IReadOnlyList<ReportRoute> Read(IConfiguration configuration)
    {
        var merged = new ConfigurationBuilder()
            .AddJsonFile(System.IO.Path.Combine(AppContext.BaseDirectory, FileName), optional: true)
            .AddConfiguration(configuration)
            .Build();
        var routes = new List<ReportRoute>();
        foreach (var job in merged.GetSection(SectionName).GetChildren())
        {
            var url = job["url"] ?? "";
            // An absolute URL calls some other server than the SurgiCase API: not the simulator's to answer.
            if (Uri.TryCreate(url, UriKind.Absolute, out _) && !url.StartsWith('/'))
            {
                continue;
            }

            if (!url.StartsWith(PathPrefix, StringComparison.Ordinal) || url == PathPrefix + "health")
            {
                throw new OptionsValidationException(SectionName, typeof(ReportRoute),
                    [$"{SectionName}:{job.Key}:url is '{url}': the simulated SurgiCase API serves report paths under {PathPrefix} (other than {PathPrefix}health)."]);
            }

            routes.Add(new ReportRoute(job["id"] ?? job.Key, (job["method"] ?? "POST").ToUpperInvariant(), url.Split('?')[0]));
        }

        return routes;
    }
}
