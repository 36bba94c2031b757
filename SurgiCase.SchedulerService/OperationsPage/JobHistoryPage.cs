using SurgiCase.SchedulerService.Storage;

namespace SurgiCase.SchedulerService.OperationsPage;

/// <summary>One job at <c>/ops/jobs/{id}</c>: its settings, its runs with error detail and trace links, and who paused it.</summary>
internal static class JobHistoryPage
{
    public static string Render(PageContext page, JobHistory history)
    {
        var row = history.Row;
        var d = row.Definition;
        var self = OperationsRoutes.Job(d.Id);
        // A disabled job offers no buttons: the server refuses to run it (409) and pausing it means nothing.
        var runNow = d.Enabled ? PageLayout.ActionForm(page, d.Id, "run", "Run now", "btn--primary", self) : Html.Empty;
        var pauseOrResume = !d.Enabled ? Html.Empty
            : row.Paused ? PageLayout.ActionForm(page, d.Id, "resume", "Resume", "btn--secondary", self)
            : PageLayout.ActionForm(page, d.Id, "pause", "Pause", "btn--secondary", self);
        var shown = history.Runs.Count < history.TotalRuns ? $"latest {history.Runs.Count} of {history.TotalRuns}" : $"{history.TotalRuns}";
        var main = H.Of($"""
            <nav class="crumbs"><a href="{OperationsRoutes.Overview}">← All jobs</a></nav>
            <div class="page__head">
              <div>
                <h1 class="job-title" data-job="{d.Id}">{d.Name} <span data-status="{row.Status.Css()}">{PageLayout.Badge(row.Status.Css(), row.Status.Label())}</span></h1>
                <p class="muted mono small">{d.Id}</p>
              </div>
              <div class="actions">{runNow}{pauseOrResume}</div>
            </div>
            {PageLayout.Notice(page.Notice)}
            {PageLayout.Updated(page)}
            <section class="card">
              <h2 class="card__title">Job</h2>
              <dl class="details">
                <div><dt>Schedule</dt><dd>{row.ScheduleInWords} <code>{d.Cron}</code></dd></div>
                <div><dt>Next run</dt><dd>{(row.NextRun is { } next ? $"{Format.Time(next)} ({Format.Relative(next, page.Now)})" : row.Paused ? "paused" : "–")}</dd></div>
                <div><dt>Calls</dt><dd class="mono small">{d.Method.ToUpperInvariant()} {d.Url}</dd></div>
                <div><dt>Timeout · attempts</dt><dd>{d.TimeoutSeconds} s · up to {d.Retry.MaxAttempts}</dd></div>
                <div><dt>Scope</dt><dd>{d.Scope}{(d.Critical ? " · critical" : "")}</dd></div>
                <div><dt>Paused</dt><dd>{(row.Paused && row.State is { } s ? $"by {s.PausedBy ?? "unknown"} at {(s.PausedAt is { } at ? Format.Time(at) : "?")}" : "no")}</dd></div>
              </dl>
            </section>
            <section class="card" aria-labelledby="runs-title">
              <h2 id="runs-title" class="card__title">Run history <span class="card__source">{shown}</span></h2>
              {Runs(page, history.Runs)}
            </section>
            {Actions(page, history.Actions)}
            """);
        return PageLayout.Render(d.Name, page, main, refresh: true);
    }

    private static Html Runs(PageContext page, IReadOnlyList<RunRecord> runs)
    {
        if (runs.Count == 0)
        {
            return H.Raw("""<p class="empty">No runs yet.</p>""");
        }

        return H.Of($"""
            <div class="table-wrap">
            <table class="table" id="runs">
              <thead><tr><th>When</th><th>Outcome</th><th>Trigger</th><th>Started by</th><th>Attempts</th><th>Duration</th><th>Error</th><th>Trace</th></tr></thead>
              <tbody>{runs.Select(r => RunRow(page, r))}</tbody>
            </table>
            </div>
            """);
    }

    private static Html RunRow(PageContext page, RunRecord run)
    {
        var when = run.StartedAt ?? run.QueuedAt;
        var error = run.ErrorMessage is { Length: > 0 } message
            ? H.Of($"""{(run.ErrorKind is { } kind ? H.Of($"""<span class="tag tag--error">{kind}</span>""") : Html.Empty)}<div class="error-detail">{message}</div>""")
            : H.Raw("""<span class="muted">–</span>""");
        var trace = run.TraceId is { Length: > 0 } traceId
            ? H.Of($"""<a class="trace-link" href="{TraceUrl(page.Options, traceId)}" target="_blank" rel="noopener noreferrer" title="{traceId}">trace {Format.ShortId(traceId)} ↗</a>""")
            : H.Raw("""<span class="muted">–</span>""");
        return H.Of($"""
            <tr data-run="{run.RunId}">
              <td><span title="{Format.Time(when)}">{Format.Relative(when, page.Now)}</span><div class="muted small">{Format.Time(when)}</div><div class="muted mono small" title="{run.RunId}">run {Format.ShortId(run.RunId)}</div></td>
              <td data-outcome="{run.Outcome}">{PageLayout.Badge(JobStatusText.OutcomeCss(run.Outcome), run.Outcome)}</td>
              <td>{run.Trigger}</td>
              <td>{run.RequestedBy ?? "scheduler"}</td>
              <td>{run.Attempts}</td>
              <td>{Format.Duration(new RunRecordTimes(run.StartedAt, run.FinishedAt))}</td>
              <td class="col-error">{error}</td>
              <td>{trace}</td>
            </tr>
            """);
    }

    private static Html Actions(PageContext page, IReadOnlyList<JobAction> actions) =>
        actions.Count == 0
            ? Html.Empty
            : H.Of($"""
                <section class="card">
                  <h2 class="card__title">Pause and resume</h2>
                  <ul class="plain-list">{actions.Select(a => H.Of($"""<li>{a.Action} by <strong>{a.Actor}</strong> · {Format.Time(a.At)} <span class="muted">({Format.Relative(a.At, page.Now)})</span></li>"""))}</ul>
                </section>
                """);

    public static string TraceUrl(OperationsOptions options, string traceId) =>
        $"{options.DashboardUrl.ToString().TrimEnd('/')}/traces/detail/{Uri.EscapeDataString(traceId)}";
}
