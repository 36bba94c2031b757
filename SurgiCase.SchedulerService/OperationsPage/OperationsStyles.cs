namespace SurgiCase.SchedulerService.OperationsPage;

/// <summary>The page's stylesheet: system fonts, no external resources.</summary>
internal static class OperationsStyles
{
    public const string Source = """
        :root {
          --bg: #f4f6f9; --card: #fff; --line: #e3e8ef; --text: #1b2430; --muted: #667085; --brand: #1d4ed8;
          --ok: #067647; --ok-bg: #ecfdf3; --failed: #b42318; --failed-bg: #fef3f2; --partial: #b54708; --partial-bg: #fffaeb;
          --running: #175cd3; --running-bg: #eff8ff; --paused: #475467; --paused-bg: #f2f4f7; --overdue: #c01574; --overdue-bg: #fdf2fa;
          --radius: 10px; --shadow: 0 1px 2px rgba(16, 24, 40, .06);
        }
        * { box-sizing: border-box; }
        html { -webkit-text-size-adjust: 100%; }
        body { margin: 0; background: var(--bg); color: var(--text); font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Helvetica Neue", Arial, sans-serif, "Noto Color Emoji"; }
        a { color: var(--brand); text-decoration: none; }
        a:hover { text-decoration: underline; }
        code, .mono { font-family: ui-monospace, SFMono-Regular, "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 12px; }
        code { background: #f2f4f7; border: 1px solid var(--line); border-radius: 4px; padding: 0 4px; color: #344054; }
        h1 { font-size: 22px; margin: 0; letter-spacing: -.01em; }
        .topbar { display: flex; align-items: center; justify-content: space-between; gap: 16px; padding: 10px 28px; background: #101828; color: #fff; }
        .brand { display: flex; align-items: center; gap: 10px; color: #fff; font-weight: 600; font-size: 15px; }
        .brand:hover { text-decoration: none; }
        .brand__mark { display: grid; place-items: center; width: 28px; height: 28px; border-radius: 7px; background: linear-gradient(135deg, #3b82f6, #1d4ed8); font-weight: 700; }
        .brand__sub { color: #98a2b3; font-weight: 500; }
        .topbar__user { display: flex; align-items: center; gap: 12px; color: #d0d5dd; }
        .topbar__who::before { content: "●"; color: #32d583; margin-right: 6px; font-size: 10px; vertical-align: 1px; }
        .topbar .btn--ghost { color: #d0d5dd; border-color: #344054; background: transparent; }
        .topbar .btn--ghost:hover { background: #1d2939; color: #fff; }
        .page { max-width: 1360px; margin: 0 auto; padding: 22px 28px 40px; }
        .page__head { display: flex; align-items: flex-end; justify-content: space-between; gap: 16px; margin-bottom: 14px; flex-wrap: wrap; }
        .updated { color: var(--muted); font-size: 12px; margin: 0 0 10px; }
        .page__head .updated { margin: 0; }
        .crumbs { margin-bottom: 10px; font-size: 13px; }
        .notice { background: var(--running-bg); border: 1px solid #b2ddff; color: #194185; border-radius: 8px; padding: 9px 14px; margin-bottom: 14px; }
        .tiles { display: grid; grid-template-columns: repeat(6, minmax(0, 1fr)); gap: 12px; margin-bottom: 16px; }
        .tile { background: var(--card); border: 1px solid var(--line); border-radius: var(--radius); padding: 12px 16px; box-shadow: var(--shadow); border-left-width: 4px; }
        .tile__count { display: block; font-size: 24px; font-weight: 650; line-height: 1.1; }
        .tile__label { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .05em; }
        .tile--info { border-left-color: var(--brand); }
        .tile--quiet { border-left-color: var(--line); }
        .tile--quiet .tile__count { color: #98a2b3; }
        .tile--failed { border-left-color: var(--failed); } .tile--failed .tile__count { color: var(--failed); }
        .tile--overdue { border-left-color: var(--overdue); } .tile--overdue .tile__count { color: var(--overdue); }
        .tile--partial { border-left-color: var(--partial); } .tile--partial .tile__count { color: var(--partial); }
        .tile--running { border-left-color: var(--running); } .tile--running .tile__count { color: var(--running); }
        .tile--paused { border-left-color: var(--paused); }
        .card { background: var(--card); border: 1px solid var(--line); border-radius: var(--radius); box-shadow: var(--shadow); padding: 16px 18px; margin-bottom: 16px; }
        .card--flush { padding: 0; overflow: hidden; }
        .card__title { font-size: 15px; margin: 0 0 12px; display: flex; align-items: baseline; gap: 10px; }
        .card__source { color: var(--muted); font-weight: 400; font-size: 12px; }
        .grid-2 { display: grid; grid-template-columns: minmax(0, 1.25fr) minmax(0, 1fr); gap: 16px; align-items: start; }
        .table-wrap { overflow-x: auto; }
        .table { width: 100%; border-collapse: collapse; }
        .table th { text-align: left; font-size: 11px; font-weight: 600; text-transform: uppercase; letter-spacing: .05em; color: var(--muted); padding: 8px 10px; border-bottom: 1px solid var(--line); white-space: nowrap; background: #f9fafb; }
        .table td { padding: 10px; border-bottom: 1px solid #eef1f5; vertical-align: top; }
        .table tbody tr:last-child td { border-bottom: 0; }
        .table tbody tr:hover { background: #fafbfc; }
        .table--compact td { padding: 6px 10px; }
        .col-job { min-width: 230px; }
        .col-schedule { min-width: 190px; }
        .col-schedule code { display: inline-block; margin-top: 3px; }
        .col-last { min-width: 210px; max-width: 320px; }
        .col-next { white-space: nowrap; }
        .col-actions { width: 1%; white-space: nowrap; }
        .col-error { max-width: 460px; }
        .job-link { font-weight: 600; color: var(--text); }
        .job-title { display: flex; align-items: center; gap: 12px; }
        .muted { color: var(--muted); }
        .small { font-size: 12px; }
        .empty { color: var(--muted); margin: 4px 0; }
        .text-warn { color: var(--partial); }
        .tag { display: inline-block; margin: 4px 6px 0 0; padding: 0 7px; border-radius: 4px; font-size: 11px; background: #f2f4f7; color: #475467; border: 1px solid var(--line); }
        .tag--critical { background: var(--failed-bg); color: var(--failed); border-color: #fecdca; }
        .tag--error { background: var(--failed-bg); color: var(--failed); border-color: #fecdca; margin-top: 0; }
        .badge { display: inline-flex; align-items: center; gap: 6px; padding: 2px 9px 2px 8px; border-radius: 999px; font-size: 12px; font-weight: 600; white-space: nowrap; border: 1px solid transparent; }
        .badge::before { content: ""; width: 7px; height: 7px; border-radius: 50%; background: currentColor; }
        .badge--ok { color: var(--ok); background: var(--ok-bg); border-color: #abefc6; }
        .badge--failed { color: var(--failed); background: var(--failed-bg); border-color: #fecdca; }
        .badge--partial { color: var(--partial); background: var(--partial-bg); border-color: #fedf89; }
        .badge--running { color: var(--running); background: var(--running-bg); border-color: #b2ddff; }
        .badge--paused { color: var(--paused); background: var(--paused-bg); border-color: #d0d5dd; }
        .badge--overdue { color: var(--overdue); background: var(--overdue-bg); border-color: #fcceee; }
        .badge--idle { color: #667085; background: #f9fafb; border-color: #eaecf0; }
        .badge--running::before { animation: pulse 1.2s ease-in-out infinite; }
        @keyframes pulse { 50% { opacity: .25; } }
        .col-last .badge, .alert .badge { font-size: 11px; padding: 0 7px; }
        .error-snippet { margin-top: 4px; color: var(--failed); font-size: 12px; display: -webkit-box; -webkit-line-clamp: 2; -webkit-box-orient: vertical; overflow: hidden; word-break: break-word; }
        .error-detail { margin-top: 4px; color: #7a271a; background: var(--failed-bg); border: 1px solid #fee4e2; border-radius: 6px; padding: 6px 8px; font-family: ui-monospace, SFMono-Regular, "DejaVu Sans Mono", Menlo, monospace; font-size: 12px; white-space: pre-wrap; word-break: break-word; }
        .actions { display: flex; gap: 6px; align-items: center; }
        .inline-form { margin: 0; display: inline; }
        .btn { font: inherit; font-size: 13px; font-weight: 600; border-radius: 7px; border: 1px solid #d0d5dd; background: #fff; color: #344054; padding: 6px 12px; cursor: pointer; line-height: 1.2; box-shadow: var(--shadow); display: inline-block; }
        .btn:hover { background: #f9fafb; text-decoration: none; }
        .btn:focus-visible { outline: 3px solid #84adff; outline-offset: 1px; }
        .btn--primary { background: var(--brand); border-color: var(--brand); color: #fff; }
        .btn--primary:hover { background: #1e40af; }
        .btn--ghost { box-shadow: none; }
        .btn--small { padding: 4px 10px; font-size: 12px; }
        .btn--block { width: 100%; padding: 9px 12px; margin-top: 14px; }
        .alerts { list-style: none; margin: 0; padding: 0; }
        .alert { display: flex; align-items: flex-start; justify-content: space-between; gap: 12px; padding: 10px 0; border-bottom: 1px solid #eef1f5; }
        .alert:last-child { border-bottom: 0; }
        .alert__main { min-width: 0; }
        .alert__subject { font-weight: 600; overflow: hidden; text-overflow: ellipsis; }
        .alert__link { color: var(--text); }
        .delivery { font-weight: 600; }
        .delivery--ok { color: var(--ok); } .delivery--failed { color: var(--failed); }
        .unavailable { margin: 0; padding: 10px 12px; border-radius: 8px; background: var(--partial-bg); border: 1px solid #fedf89; color: #93370d; }
        .facts { display: flex; gap: 26px; margin-bottom: 12px; flex-wrap: wrap; }
        .facts > div { display: flex; flex-direction: column; gap: 3px; align-items: flex-start; }
        .facts__label { color: var(--muted); font-size: 11px; text-transform: uppercase; letter-spacing: .05em; }
        .facts strong { font-size: 18px; line-height: 1.1; }
        .details { display: grid; grid-template-columns: repeat(3, minmax(0, 1fr)); gap: 12px 24px; margin: 0; }
        .details dt { color: var(--muted); font-size: 11px; text-transform: uppercase; letter-spacing: .05em; }
        .details dd { margin: 2px 0 0; }
        .plain-list { margin: 0; padding-left: 18px; }
        .trace-link { white-space: nowrap; font-size: 12px; }
        .preview-meta { padding: 14px 18px 4px; border-bottom: 1px solid var(--line); }
        .preview-frame { display: block; width: 100%; height: 75vh; border: 0; background: #fff; }
        .signin { max-width: 420px; margin: 48px auto; padding: 26px 28px; }
        .signin h1 { margin-bottom: 6px; }
        .form label { display: block; font-weight: 600; margin: 16px 0 6px; }
        .form input[type=password] { width: 100%; font: inherit; padding: 8px 10px; border: 1px solid #d0d5dd; border-radius: 7px; }
        .form input[type=password]:focus { outline: 3px solid #84adff; border-color: var(--brand); }
        .form-error { color: var(--failed); background: var(--failed-bg); border: 1px solid #fecdca; border-radius: 7px; padding: 8px 10px; }
        @media (max-width: 1100px) { .grid-2 { grid-template-columns: 1fr; } .tiles { grid-template-columns: repeat(3, minmax(0, 1fr)); } .details { grid-template-columns: 1fr 1fr; } }
        """;
}
