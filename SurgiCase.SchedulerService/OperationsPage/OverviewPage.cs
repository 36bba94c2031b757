using SurgiCase.SchedulerService.Storage;

namespace SurgiCase.SchedulerService.OperationsPage;

/// <summary>The overview at <c>/</c>: every job, the recent alerts and the secrets cache.</summary>
internal static class OverviewPage
{
    public static string Render(
        PageContext page,
        IReadOnlyList<JobRow> jobs,
        PanelResult<IReadOnlyList<AlertSummary>> alerts,
        PanelResult<SecretsCacheHealth> secrets)
    {
        var main = H.Of($"""
            <div class="page__head">
              <h1>Scheduled jobs</h1>
              {PageLayout.Updated(page)}
            </div>
            {PageLayout.Notice(page.Notice)}
            {Summary(jobs)}
            <section class="card" aria-labelledby="jobs-title">
              <h2 id="jobs-title" class="card__title">Jobs</h2>
              <div class="table-wrap">
              <table class="table" id="jobs">
                <thead><tr><th>Job</th><th>Status</th><th>Schedule</th><th>Last run</th><th>Next run</th><th class="col-actions">Actions</th></tr></thead>
                <tbody>{jobs.Select(j => JobRowHtml(page, j))}</tbody>
              </table>
              </div>
            </section>
            <div class="grid-2">
              {AlertsPanel(page, alerts)}
              {SecretsPanelHtml(page, secrets)}
            </div>
            """);
        return PageLayout.Render("Overview", page, main, refresh: true);
    }

    private static Html Summary(IReadOnlyList<JobRow> jobs)
    {
        Html Tile(string label, int count, string css) => H.Of($"""
            <div class="tile tile--{(count > 0 ? css : "quiet")}"><span class="tile__count">{count}</span><span class="tile__label">{label}</span></div>
            """);
        int Count(JobStatus s) => jobs.Count(j => j.Status == s);
        return H.Of($"""
            <section class="tiles" aria-label="Summary">
              {Tile("jobs", jobs.Count, "info")}
              {Tile("failed", Count(JobStatus.Failed), "failed")}
              {Tile("overdue", Count(JobStatus.Overdue), "overdue")}
              {Tile("partial", Count(JobStatus.Partial), "partial")}
              {Tile("running", Count(JobStatus.Running), "running")}
              {Tile("paused", Count(JobStatus.Paused), "paused")}
            </section>
            """);
    }

    private static Html JobRowHtml(PageContext page, JobRow row)
    {
        var d = row.Definition;
        var pausedNote = row.Paused && row.State is { } state
            ? H.Of($"""<div class="muted small">by {state.PausedBy ?? "unknown"}{(state.PausedAt is { } at ? " · " + Format.Relative(at, page.Now) : "")}</div>""")
            : Html.Empty;
        var overdueNote = row.Overdue is { } overdue
            ? H.Of($"""<div class="muted small">missed {Format.Time(overdue.FireTime)}</div>""")
            : Html.Empty;
        var next = row.NextRun is { } nextRun
            ? H.Of($"""{Format.Relative(nextRun, page.Now)}<div class="muted small">{Format.Time(nextRun)}</div>""")
            : H.Of($"""<span class="muted">{(row.Paused ? "paused" : d.Enabled ? "–" : "disabled")}</span>""");
        // A disabled job offers no buttons: the server refuses to run it (409) and pausing it means nothing.
        var runNow = d.Enabled ? PageLayout.ActionForm(page, d.Id, "run", "Run now", "btn--primary", OperationsRoutes.Overview) : Html.Empty;
        var pauseOrResume = !d.Enabled ? Html.Empty
            : row.Paused ? PageLayout.ActionForm(page, d.Id, "resume", "Resume", "btn--secondary", OperationsRoutes.Overview)
            : PageLayout.ActionForm(page, d.Id, "pause", "Pause", "btn--secondary", OperationsRoutes.Overview);
        return H.Of($"""
            <tr data-job="{d.Id}">
              <td class="col-job">
                <a class="job-link" href="{OperationsRoutes.Job(d.Id)}">{d.Name}</a>
                <div class="muted mono small">{d.Id}</div>
                {H.When(d.Critical, H.Raw("""<span class="tag tag--critical">critical</span>"""))}<span class="tag">{d.Scope}</span>
              </td>
              <td class="col-status" data-status="{row.Status.Css()}">{PageLayout.Badge(row.Status.Css(), row.Status.Label())}{pausedNote}{overdueNote}</td>
              <td class="col-schedule">{row.ScheduleInWords}<div><code>{d.Cron}</code></div></td>
              <td class="col-last">{LastRun(page, row.LastRun)}</td>
              <td class="col-next">{next}</td>
              <td class="col-actions">
                <div class="actions">{runNow}{pauseOrResume}</div>
              </td>
            </tr>
            """);
    }

    private static Html LastRun(PageContext page, RunRecord? run)
    {
        if (run is null)
        {
            return H.Raw("""<span class="muted">never</span>""");
        }

        var when = run.FinishedAt ?? run.StartedAt ?? run.QueuedAt;
        var error = run.ErrorMessage is { Length: > 0 } message
            ? H.Of($"""<div class="error-snippet" title="{message}">{message}</div>""")
            : Html.Empty;
        return H.Of($"""
            <span title="{Format.Time(when)}">{Format.Relative(when, page.Now)}</span>
            <div class="muted small">{PageLayout.Badge(JobStatusText.OutcomeCss(run.Outcome), run.Outcome)} {run.Trigger}{(run.RequestedBy is { } by ? " by " + by : "")}</div>
            {error}
            """);
    }

    private static Html AlertsPanel(PageContext page, PanelResult<IReadOnlyList<AlertSummary>> alerts)
    {
        Html body;
        if (alerts.Value is not { } list)
        {
            body = Unavailable(alerts.Problem);
        }
        else if (list.Count == 0)
        {
            body = H.Raw("""<p class="empty">No alerts yet.</p>""");
        }
        else
        {
            body = H.Of($"""
                <ul class="alerts" id="alerts">{list.Select(a => AlertItem(page, a))}</ul>
                """);
        }

        return H.Of($"""
            <section class="card" aria-labelledby="alerts-title" id="alerts-panel">
              <h2 id="alerts-title" class="card__title">Recent alerts <span class="card__source">NotificationService</span></h2>
              {body}
            </section>
            """);
    }

    private static Html AlertItem(PageContext page, AlertSummary alert)
    {
        var (css, kind) = alert.MessageType switch
        {
            var t when t.StartsWith("job-failed", StringComparison.Ordinal) => ("failed", "failed"),
            var t when t.StartsWith("job-partially-failed", StringComparison.Ordinal) => ("partial", "partial"),
            var t when t.StartsWith("job-recovered", StringComparison.Ordinal) => ("ok", "recovered"),
            _ => ("idle", alert.MessageType),
        };
        var delivery = alert.Status is "sent" ? "ok" : alert.Status is "failed" ? "failed" : "idle";
        var error = alert.LastError is { Length: > 0 } e ? H.Of($"""<div class="error-snippet">{e}</div>""") : Html.Empty;
        return H.Of($"""
            <li class="alert" data-alert="{alert.Id}" data-job="{alert.JobId}">
              <div class="alert__main">
                <div class="alert__subject">{PageLayout.Badge(css, kind)} <a href="{OperationsRoutes.AlertPreview(alert.Id)}" class="alert__link">{alert.Subject ?? alert.JobName}</a></div>
                <div class="muted small">{alert.JobName}{(alert.ErrorKind is { } k ? " · " + k : "")} · {Format.Relative(alert.CreatedAt, page.Now)} · {alert.Channel ?? "email"} <span class="delivery delivery--{delivery}">{alert.Status}</span></div>
                {error}
              </div>
              <a class="btn btn--ghost btn--small" href="{OperationsRoutes.AlertPreview(alert.Id)}">Preview</a>
            </li>
            """);
    }

    private static Html SecretsPanelHtml(PageContext page, PanelResult<SecretsCacheHealth> secrets)
    {
        Html body;
        if (secrets.Value is not { } cache)
        {
            body = Unavailable(secrets.Problem);
        }
        else
        {
            var breakerCss = cache.CircuitBreaker.ToLowerInvariant() switch { "closed" => "ok", "open" => "failed", _ => "partial" };
            // The service calls an entry stale once its TTL has passed; only one it could not refresh is served stale.
            var servingStale = cache.Entries.Count(e => e.Stale && e.LastErrorCode is not null);
            var expired = cache.Entries.Count(e => e.Stale && e.LastErrorCode is null);
            var rows = cache.Entries.Count == 0
                ? H.Raw("""<tr><td colspan="4" class="empty">Nothing cached yet.</td></tr>""")
                : H.Join(cache.Entries.Select(e => H.Of($"""
                    <tr data-secret="{e.Name}">
                      <td class="mono small">{e.Name}</td>
                      <td>{(e.AgeSeconds is { } age ? Format.Relative(page.Now.AddSeconds(-age), page.Now).Replace(" ago", "", StringComparison.Ordinal) : "–")}</td>
                      <td>{e.LastOutcome}{(e.LastErrorCode is { } code ? H.Of($"""<div class="error-snippet">{code}</div>""") : Html.Empty)}</td>
                      <td>{EntryState(e)}</td>
                    </tr>
                    """)));
            body = H.Of($"""
                <div class="facts">
                  <div><span class="facts__label">AWS circuit breaker</span>{PageLayout.Badge(breakerCss, cache.CircuitBreaker.ToLowerInvariant())}</div>
                  <div><span class="facts__label">Cached secrets</span><strong>{cache.Entries.Count}</strong></div>
                  <div><span class="facts__label">Serving stale</span><strong class="{(servingStale > 0 ? "text-warn" : "")}" data-serving-stale="{servingStale}">{servingStale}</strong></div>
                  <div><span class="facts__label">TTL expired</span><strong>{expired}</strong></div>
                </div>
                <div class="table-wrap">
                <table class="table table--compact" id="secrets">
                  <thead><tr><th>Secret</th><th>Age</th><th>Last refresh</th><th>State</th></tr></thead>
                  <tbody>{rows}</tbody>
                </table>
                </div>
                """);
        }

        return H.Of($"""
            <section class="card" aria-labelledby="secrets-title" id="secrets-panel">
              <h2 id="secrets-title" class="card__title">Secrets cache <span class="card__source">SecretsService</span></h2>
              {body}
            </section>
            """);
    }

    private static Html EntryState(SecretsCacheEntry entry) =>
        !entry.Stale ? PageLayout.Badge("ok", "fresh")
        : entry.LastErrorCode is not null ? PageLayout.Badge("partial", "serving stale")
        : H.Of($"""<span title="Refreshed on its next lookup">{PageLayout.Badge("idle", "expired")}</span>""");

    private static Html Unavailable(string? problem) =>
        H.Of($"""<p class="unavailable" role="alert"><strong>Unavailable.</strong> {problem ?? "No answer."}</p>""");
}
