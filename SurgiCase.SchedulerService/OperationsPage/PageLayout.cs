using System.Globalization;

namespace SurgiCase.SchedulerService.OperationsPage;

/// <summary>What every rendered page needs besides its data.</summary>
internal sealed record PageContext(DateTimeOffset Now, Html AntiforgeryField, string? User, OperationsOptions Options, string? Notice = null);

/// <summary>The shell around every page: head, top bar, and the self-refreshing main region.</summary>
internal static class PageLayout
{
    public static string Render(string title, PageContext page, Html main, bool refresh)
    {
        var signOut = page.User is null
            ? Html.Empty
            : H.Of($"""
                <div class="topbar__user">
                  <span class="topbar__who" title="Signed in">{page.User}</span>
                  <form method="post" action="{OperationsRoutes.SignOut}">{page.AntiforgeryField}<button type="submit" class="btn btn--ghost">Sign out</button></form>
                </div>
                """);
        var refreshAttributes = refresh
            ? H.Of($""" data-refresh-seconds="{page.Options.RefreshSeconds}" """)
            : Html.Empty;
        var noScriptRefresh = refresh
            ? H.Of($"""<noscript><meta http-equiv="refresh" content="{page.Options.RefreshSeconds}"></noscript>""")
            : Html.Empty;
        return H.Of($"""
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="referrer" content="no-referrer">
            <title>{title} · SurgiCase Operations</title>
            <link rel="icon" href="data:,">
            <link rel="stylesheet" href="{OperationsRoutes.Assets}/operations.css">
            <script src="{OperationsRoutes.Assets}/operations.js" defer></script>
            {noScriptRefresh}
            </head>
            <body>
            <header class="topbar">
              <a class="brand" href="{OperationsRoutes.Overview}"><span class="brand__mark" aria-hidden="true">S</span><span class="brand__name">SurgiCase</span><span class="brand__sub">Operations</span></a>
              {signOut}
            </header>
            <main class="page" id="main"{refreshAttributes}>
            {main}
            </main>
            </body>
            </html>
            """).Value;
    }

    public static Html Notice(string? notice) =>
        notice is null ? Html.Empty : H.Of($"""<div class="notice" role="status">{notice}</div>""");

    public static Html Updated(PageContext page) =>
        H.Of($"""<p class="updated" data-updated>Updated {Format.Time(page.Now)} · refreshes every {page.Options.RefreshSeconds} s</p>""");

    public static Html Badge(string css, string label) => H.Of($"""<span class="badge badge--{css}">{label}</span>""");

    public static Html ActionForm(PageContext page, string jobId, string action, string label, string css, string returnUrl) =>
        H.Of($"""
            <form method="post" action="{OperationsRoutes.JobAction(jobId, action)}" class="inline-form">{page.AntiforgeryField}<input type="hidden" name="returnUrl" value="{returnUrl}"><button type="submit" class="btn {css}" data-action="{action}">{label}</button></form>
            """);
}

/// <summary>Times as the page prints them: UTC, plus how long ago or until.</summary>
internal static class Format
{
    public static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    public static string Relative(DateTimeOffset t, DateTimeOffset now)
    {
        var delta = t - now;
        var span = delta.Duration();
        var amount = span.TotalSeconds < 5 ? null
            : span.TotalMinutes < 1 ? $"{(int)span.TotalSeconds} s"
            : span.TotalHours < 1 ? $"{(int)span.TotalMinutes} min"
            : span.TotalDays < 1 ? $"{(int)span.TotalHours} h {span.Minutes} min"
            : $"{(int)span.TotalDays} d {span.Hours} h";
        return amount is null ? "just now" : delta < TimeSpan.Zero ? $"{amount} ago" : $"in {amount}";
    }

    public static string Duration(RunRecordTimes run)
    {
        if (run.StartedAt is not { } started || run.FinishedAt is not { } finished)
        {
            return "–";
        }

        var span = finished - started;
        return span.TotalSeconds < 1 ? $"{(int)span.TotalMilliseconds} ms"
            : span.TotalMinutes < 1 ? string.Create(CultureInfo.InvariantCulture, $"{span.TotalSeconds:0.0} s")
            : $"{(int)span.TotalMinutes} min {span.Seconds} s";
    }

    public static string ShortId(string id) => id.Length > 8 ? id[..8] : id;
}

internal readonly record struct RunRecordTimes(DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt);
