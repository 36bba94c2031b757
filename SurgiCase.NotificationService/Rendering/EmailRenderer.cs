using System.Globalization;
using SurgiCase.Messaging.Contracts;

namespace SurgiCase.NotificationService.Rendering;

/// <summary>
/// Turns a job event into the alert email: subject, HTML part and text part. Pure: no I/O, no clock,
/// no ambient state (the trace id comes in through <see cref="RenderContext"/>).
/// </summary>
internal static class EmailRenderer
{
    public const string FailedSubjectPrefix = "🚨 CRITICAL: Scheduled Job Failed - ";
    public const string FailedWarningSubjectPrefix = "⚠️ WARNING: Scheduled Job Failed - ";

    /// <summary>The seed's subject for every partial failure, critical or not: its severity is a tag, not the subject's tone.</summary>
    public const string PartialSubjectPrefix = "⚠️ Scheduled Job Partially Failed - ";
    /// <summary>The early warning of a critical job's first timed-out attempt; the run retries and its outcome follows.</summary>
    public const string AttemptTimedOutSubjectPrefix = "⚠️ Scheduled Job Attempt Timed Out, Retrying - ";
    public const string RecoveredSubjectPrefix = "✅ RESOLVED: Scheduled Job Recovered - ";

    public static RenderedEmail Render(IJobEvent jobEvent, RenderContext context)
    {
        return Render(Describe(jobEvent, context));
    }

    public static RenderedEmail Render(AlertContent content) =>
        new(content.Subject, HtmlEmailWriter.Write(content), TextEmailWriter.Write(content));

    public static string SubjectFor(IJobEvent jobEvent) => (jobEvent, AlertSeverities.Of(jobEvent)) switch
    {
        (JobFailed { RetryAt: not null }, _) => AttemptTimedOutSubjectPrefix,
        (JobFailed, AlertSeverity.Warning) => FailedWarningSubjectPrefix,
        (JobFailed, _) => FailedSubjectPrefix,
        (JobPartiallyFailed, _) => PartialSubjectPrefix,
        _ => RecoveredSubjectPrefix,
    } + SingleLine(jobEvent.JobName);

    public static AlertContent Describe(IJobEvent jobEvent, RenderContext context)
    {
        var (headline, sections) = jobEvent switch
        {
            JobFailed { RetryAt: { } retryAt } retrying => ("Scheduled Job Attempt Timed Out, Retrying", RetryingSections(retrying, retryAt, context.RunbookUrl)),
            JobFailed failed => ("Scheduled Job Failed", FailedSections(failed, context.RunbookUrl)),
            JobPartiallyFailed partial => ("Scheduled Job Partially Failed", PartialSections(partial, context.RunbookUrl)),
            JobRecovered recovered => ("Scheduled Job Recovered", RecoveredSections(recovered)),
            _ => throw new ArgumentException($"No email is defined for {jobEvent.GetType().Name}.", nameof(jobEvent)),
        };

        return new AlertContent(
            AlertSeverities.Of(jobEvent),
            AlertSeverities.LookOf(jobEvent),
            SubjectFor(jobEvent),
            headline,
            jobEvent.JobName,
            Utc(jobEvent.OccurredAt),
            context.Notes ?? [],
            sections,
            jobEvent.RunId,
            string.IsNullOrEmpty(context.TraceId) ? "(none)" : context.TraceId,
            context.OperationsPageUrl);
    }

    private static List<AlertSection> FailedSections(JobFailed e, Uri? runbookUrl)
    {
        var sections = new List<AlertSection>
        {
            new("Error", Paragraph: e.ErrorMessage, Highlight: true),
            new("Job", Rows: Rows(
                ("Job", e.JobName), ("Job ID", e.JobId), ("Time (UTC)", Utc(e.OccurredAt)), ("Host", e.Host),
                ("Trigger", e.Trigger), ("Attempt", e.Attempt.ToString(CultureInfo.InvariantCulture)), ("Error kind", e.ErrorKind))),
        };

        if (e.Details is { Count: > 0 })
        {
            sections.Add(new AlertSection("Details", Rows: e.Details.ToList()));
        }

        if (e.AttemptErrors is { Count: > 0 })
        {
            sections.Add(new AlertSection("Attempts", Items: e.AttemptErrors
                .Select(a => $"#{a.Attempt} at {Utc(a.At)}: {a.ErrorKind}: {a.ErrorMessage}").ToList()));
        }

        if (e.Exception is { } ex)
        {
            var trace = string.IsNullOrWhiteSpace(ex.StackTrace) ? "" : Environment.NewLine + ex.StackTrace;
            sections.Add(new AlertSection("Exception", Preformatted: $"{ex.Type}: {ex.Message}{trace}"));
        }

        var steps = e.Troubleshooting is { Count: > 0 } ? e.Troubleshooting : Troubleshooting.DefaultFor(e.ErrorKind);
        sections.Add(new AlertSection("Troubleshooting steps", Items: [.. steps, Runbook.Step(runbookUrl, Runbook.AnchorFor(e))], Numbered: true));
        return sections;
    }

    /// <summary>The early warning: what timed out, that the run goes on and when, and what the reader hears next.</summary>
    private static List<AlertSection> RetryingSections(JobFailed e, DateTimeOffset retryAt, Uri? runbookUrl)
    {
        var attempts = e.MaxAttempts is { } max ? $"{Num(e.Attempt)} of {Num(max)}" : Num(e.Attempt);
        var next = e.MaxAttempts is { } last ? $" (attempt {Num(e.Attempt + 1)} of {Num(last)})" : "";
        var sections = FailedSections(e, runbookUrl);
        sections.Insert(1, new AlertSection("What happens next", Paragraph:
            $"The run is not over: it retries at {Utc(retryAt)}{next}. No action is needed yet. If every attempt fails, the " +
            "failure alert follows; if a retry succeeds, no further email is sent (the run shows on the operations page)."));
        sections[2] = new AlertSection("Job", Rows: Rows(
            ("Job", e.JobName), ("Job ID", e.JobId), ("Time (UTC)", Utc(e.OccurredAt)), ("Host", e.Host), ("Trigger", e.Trigger),
            ("Attempt", attempts), ("Retrying at (UTC)", Utc(retryAt)), ("Error kind", e.ErrorKind)));
        return sections;
    }

    private static List<AlertSection> PartialSections(JobPartiallyFailed e, Uri? runbookUrl)
    {
        var sections = new List<AlertSection>
        {
            new("Summary", Paragraph: $"{e.Failed} of {e.Total} items failed; {e.Succeeded} succeeded.", Highlight: true),
            new("Job", Rows: Rows(
                ("Job", e.JobName), ("Job ID", e.JobId), ("Time (UTC)", Utc(e.OccurredAt)), ("Host", e.Host),
                ("Trigger", e.Trigger ?? "-"), ("Succeeded", Num(e.Succeeded)), ("Failed", Num(e.Failed)), ("Total", Num(e.Total)))),
        };

        if (e.Details is { Count: > 0 })
        {
            sections.Add(new AlertSection("Details", Rows: e.Details.ToList()));
        }

        if (e.FailedItems is { Count: > 0 })
        {
            sections.Add(new AlertSection("Failed items", Items: e.FailedItems));
        }

        if (e.Warnings is { Count: > 0 })
        {
            sections.Add(new AlertSection("Warnings", Items: e.Warnings));
        }

        var steps = e.Troubleshooting is { Count: > 0 } ? e.Troubleshooting : Troubleshooting.ForPartialFailure;
        sections.Add(new AlertSection("Troubleshooting steps", Items: [.. steps, Runbook.Step(runbookUrl, Runbook.AnchorFor(e))], Numbered: true));
        return sections;
    }

    private static List<AlertSection> RecoveredSections(JobRecovered e)
    {
        var downtime = e.OccurredAt - e.FailedSince;
        var resolved = $"The job succeeded again after {Num(e.FailedRuns)} failed run(s).";
        if (e.Trigger == Triggers.Recovery)
        {
            // Said first and plainly: nobody re-ran it, so the reader must not go looking for who did.
            resolved = $"Recovered automatically: SurgiCase re-ran the job after {e.Dependency ?? "the failing dependency"} answered again. {resolved}";
        }

        return
        [
            new("Resolved", Paragraph: resolved, Highlight: true),
            new("Job", Rows: Rows(
                ("Job", e.JobName), ("Job ID", e.JobId), ("Recovered at (UTC)", Utc(e.OccurredAt)), ("Host", e.Host),
                ("Failing since (UTC)", Utc(e.FailedSince)), ("Failed runs", Num(e.FailedRuns)), ("Down for", Duration(downtime)),
                ("Trigger", e.Trigger == Triggers.Recovery ? "recovery (automatic)" : e.Trigger ?? "-"))),
            new("Next steps", Items: ["No action is needed.", "Check that the reports missed while the job was failing were produced."], Numbered: true),
        ];
    }

    private static List<KeyValuePair<string, string>> Rows(params (string Key, string Value)[] rows) =>
        rows.Select(r => KeyValuePair.Create(r.Key, r.Value)).ToList();

    internal static string Utc(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    private static string Num(int n) => n.ToString(CultureInfo.InvariantCulture);

    private static string Duration(TimeSpan span) => span < TimeSpan.Zero
        ? "-"
        : span.TotalHours >= 1
            ? $"{(int)span.TotalHours} h {span.Minutes} min"
            : $"{span.Minutes} min {span.Seconds} s";

    /// <summary>A subject is a mail header: a line break in a job name must not reach it.</summary>
    internal static string SingleLine(string text) =>
        string.Concat(text.Select(c => char.IsControl(c) ? ' ' : c)).Trim();
}
