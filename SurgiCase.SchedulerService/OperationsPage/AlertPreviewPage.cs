namespace SurgiCase.SchedulerService.OperationsPage;

/// <summary>
/// The frame around an alert's email. The email itself loads in a sandboxed iframe from a response that also carries
/// its own sandboxing Content-Security-Policy, so whatever the email contains cannot run script or reach the page.
/// </summary>
internal static class AlertPreviewPage
{
    /// <summary>For the email HTML: no script, no network, no forms, and only this site may frame it.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:; form-action 'none'; frame-ancestors 'self'; base-uri 'none'; sandbox";

    public static string Render(PageContext page, long id, PanelResult<AlertSummary> summary)
    {
        var alert = summary.Value;
        var meta = alert is null
            ? H.Of($"""<p class="unavailable">{summary.Problem ?? "No details."}</p>""")
            : H.Of($"""
                <div class="facts">
                  <div><span class="facts__label">Job</span><a href="{OperationsRoutes.Job(alert.JobId)}">{alert.JobName}</a></div>
                  <div><span class="facts__label">Delivery</span>{PageLayout.Badge(alert.Status == "sent" ? "ok" : alert.Status == "failed" ? "failed" : "idle", alert.Status)}</div>
                  <div><span class="facts__label">Channel</span>{alert.Channel ?? "–"}</div>
                  <div><span class="facts__label">To</span>{string.Join(", ", alert.Recipients ?? [])}</div>
                  <div><span class="facts__label">Created</span>{Format.Time(alert.CreatedAt)}</div>
                  <div><span class="facts__label">Sent</span>{(alert.SentAt is { } sent ? Format.Time(sent) : "–")}</div>
                </div>
                {(alert.LastError is { Length: > 0 } error ? H.Of($"""<div class="error-detail">{error}</div>""") : Html.Empty)}
                """);
        var main = H.Of($"""
            <nav class="crumbs"><a href="{OperationsRoutes.Overview}">← All jobs</a></nav>
            <div class="page__head"><h1>{alert?.Subject ?? $"Alert {id}"}</h1><p class="muted">Alert {id} · as emailed, rendered by NotificationService</p></div>
            <section class="card card--flush">
              <div class="preview-meta">{meta}</div>
              <iframe class="preview-frame" title="Alert email {id}" sandbox src="{OperationsRoutes.AlertPreviewContent(id)}"></iframe>
            </section>
            """);
        return PageLayout.Render($"Alert {id}", page, main, refresh: false);
    }
}
