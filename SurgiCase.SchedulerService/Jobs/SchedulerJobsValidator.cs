using Microsoft.Extensions.Options;
using Quartz;

namespace SurgiCase.SchedulerService.Jobs;

/// <summary>
/// Refuses a bad job definition at start-up, naming the configuration key and the job (<c>Scheduler:Jobs:2
/// ('weekly-referral-report'):cron</c>), so a typo in a cron never becomes a report that silently never runs. What
/// attributes cannot say: cron and time-zone parsing, duplicate ids, and messages that name the job's own key.
/// The scalar settings are <see cref="SchedulerOptions"/>' attributes.
/// </summary>
internal sealed class SchedulerJobsValidator : IValidateOptions<SchedulerOptions>
{
    private static readonly string[] Methods = ["GET", "POST", "PUT", "PATCH", "DELETE"];

    public ValidateOptionsResult Validate(string? name, SchedulerOptions options)
    {
        var failures = new List<string>();
        var seen = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < options.Jobs.Count; i++)
        {
            ValidateJob(options.Jobs[i], $"{SchedulerOptions.SectionName}:Jobs:{i}", seen, i, failures);
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void ValidateJob(JobDefinition job, string key, Dictionary<string, int> seen, int index, List<string> failures)
    {
        var label = string.IsNullOrWhiteSpace(job.Id) ? key : $"{key} ('{job.Id}')";
        if (string.IsNullOrWhiteSpace(job.Id))
        {
            failures.Add($"{key}:id is required.");
        }
        else if (!System.Text.RegularExpressions.Regex.IsMatch(job.Id, "^[a-z0-9]+(-[a-z0-9]+)*$"))
        {
            failures.Add($"{key}:id '{job.Id}' must be kebab-case (lower-case letters, digits and dashes).");
        }
        else if (seen.TryGetValue(job.Id, out var first))
        {
            failures.Add($"{key}:id '{job.Id}' duplicates {SchedulerOptions.SectionName}:Jobs:{first}:id.");
        }
        else
        {
            seen[job.Id] = index;
        }

        if (string.IsNullOrWhiteSpace(job.Name))
        {
            failures.Add($"{label}:name is required.");
        }

        if (string.IsNullOrWhiteSpace(job.Cron))
        {
            failures.Add($"{label}:cron is required.");
        }
        else if (!CronExpression.TryParse(job.Cron, out _))
        {
            failures.Add($"{label}:cron '{job.Cron}' is not a valid Quartz cron expression (seconds first, e.g. '0 0 9 ? * MON').");
        }

        if (!TryFindTimeZone(job.TimeZone, out _))
        {
            failures.Add($"{label}:timeZone '{job.TimeZone}' is not a known time zone.");
        }

        if (job.Scope is not (JobScopes.Cluster or JobScopes.Instance))
        {
            failures.Add($"{label}:scope '{job.Scope}' must be '{JobScopes.Cluster}' or '{JobScopes.Instance}'.");
        }

        if (!Methods.Contains(job.Method, StringComparer.OrdinalIgnoreCase))
        {
            failures.Add($"{label}:method '{job.Method}' must be one of {string.Join(", ", Methods)}.");
        }

        if (string.IsNullOrWhiteSpace(job.Url))
        {
            failures.Add($"{label}:url is required.");
        }
        else if (!Uri.TryCreate(job.Url, UriKind.RelativeOrAbsolute, out var uri)
                 || (uri.IsAbsoluteUri && uri.Scheme is not ("http" or "https")))
        {
            failures.Add($"{label}:url '{job.Url}' must be an http(s) URL or a path relative to {SurgiCaseApiOptions.SectionName}:BaseAddress.");
        }

        if (job.TimeoutSeconds is < 1 or > 86_400)
        {
            failures.Add($"{label}:timeoutSeconds must be between 1 and 86400.");
        }

        if (job.MissedRunGrace < TimeSpan.Zero)
        {
            failures.Add($"{label}:missedRunGrace must not be negative.");
        }

        if (job.PartialFailure.ThresholdPercent is < 0 or > 100 || double.IsNaN(job.PartialFailure.ThresholdPercent))
        {
            failures.Add($"{label}:partialFailure:thresholdPercent must be between 0 and 100.");
        }

        if (job.PartialFailure.BelowThreshold is not (PartialBelowThreshold.Warning or PartialBelowThreshold.None))
        {
            failures.Add($"{label}:partialFailure:belowThreshold '{job.PartialFailure.BelowThreshold}' must be '{PartialBelowThreshold.Warning}' or '{PartialBelowThreshold.None}'.");
        }

        var retry = job.Retry;
        if (retry.MaxAttempts is < 1 or > 20)
        {
            failures.Add($"{label}:retry:maxAttempts must be between 1 and 20.");
        }

        if (retry.InitialDelaySeconds < 0 || retry.MaxDelaySeconds < retry.InitialDelaySeconds)
        {
            failures.Add($"{label}:retry:initialDelaySeconds must be >= 0 and <= retry:maxDelaySeconds.");
        }

        if (retry.Multiplier < 1)
        {
            failures.Add($"{label}:retry:multiplier must be at least 1.");
        }

        if (retry.JitterRatio is < 0 or > 1)
        {
            failures.Add($"{label}:retry:jitterRatio must be between 0 and 1.");
        }
    }

    internal static bool TryFindTimeZone(string? id, out TimeZoneInfo zone)
    {
        zone = TimeZoneInfo.Utc;
        if (string.IsNullOrWhiteSpace(id))
        {
            return false;
        }

        return TimeZoneInfo.TryFindSystemTimeZoneById(id, out zone!);
    }
}
