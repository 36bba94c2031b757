using Microsoft.Playwright;
using SurgiCase.Messaging.Contracts;
using SurgiCase.NotificationService.Rendering;
using SurgiCase.Testing;

namespace SurgiCase.NotificationService.Tests;

/// <summary>
/// The three alert kinds rendered by <see cref="EmailRenderer"/> and opened in a real browser (Debian's
/// headless chromium) at a mail client's narrow reading pane (420 px) and a desktop one (800 px).
/// The PNGs go to docs/screenshots only with SURGICASE_WRITE_SCREENSHOTS=1, else to a temp folder, so a
/// CI run never changes the tree.
/// </summary>
public sealed class EmailScreenshotTests : IAsyncLifetime
{
    private const string Chromium = "/usr/bin/chromium";
    private static readonly RenderContext Context = new("4bf92f3577b34da6a3ce929d0e0e4736", new Uri("http://localhost:5100/"));

    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;

    public static TheoryData<string, string, string> Kinds() => new()
    {
        { "failed", "🚨 Scheduled Job Failed", EmailRenderer.FailedSubjectPrefix },
        { "partial", "⚠️ Scheduled Job Partially Failed", EmailRenderer.PartialSubjectPrefix },
        { "recovered", "✅ Scheduled Job Recovered", EmailRenderer.RecoveredSubjectPrefix },
    };

    public async Task InitializeAsync()
    {
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: apt-get install -y chromium (never `playwright install`).");
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args =
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
            ],
        });
    }

    public async Task DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Each_kind_reads_well_in_a_narrow_and_a_wide_pane(string kind, string header, string subjectPrefix)
    {
        var jobEvent = Event(kind);
        // The failure shows the recipients-fallback note and a critical alert's Acknowledge link, so the screenshots
        // cover those blocks too.
        var content = EmailRenderer.Describe(jobEvent, kind == "failed"
            ? Context with { Notes = ["Sent to admin_email because job_failure_recipients is missing from secret surgicase/main."] }
            : Context);
        if (kind == "failed")
        {
            content = content with { AcknowledgeUrl = new Uri(Context.OperationsPageUrl, "ack/CfDJ8-example-token") };
        }

        var email = EmailRenderer.Render(content);
        Assert.StartsWith(subjectPrefix, email.Subject, StringComparison.Ordinal);
        var folder = OutputFolder();

        foreach (var (width, suffix) in new[] { (420, "-narrow"), (800, "") })
        {
            var page = await _browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = width, Height = 900 } });
            await page.SetContentAsync(email.Html);

            var headline = await page.Locator("[data-role=headline]").InnerTextAsync();
            Assert.Equal(header.ToUpperInvariant(), headline.Trim().ToUpperInvariant());
            Assert.Equal(jobEvent.JobName, (await page.Locator("[data-role=job-name]").InnerTextAsync()).Trim());
            if (kind == "failed")
            {
                Assert.Equal("http://localhost:5100/ack/CfDJ8-example-token", await page.Locator("[data-role=acknowledge]").GetAttributeAsync("href"));
            }

            var scrollWidth = await page.EvaluateAsync<int>("document.documentElement.scrollWidth");
            Assert.True(scrollWidth <= width, $"{kind} at {width} px overflows horizontally: scrollWidth {scrollWidth}.");

            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, $"email-{kind}{suffix}.png"), FullPage = true });
            await page.CloseAsync();
        }
    }

    /// <summary>Realistic content with the things that break narrow layouts: long frames, long ids, long values.</summary>
    private static IJobEvent Event(string kind) => kind switch
    {
        "failed" => TestEvents.Failed(errorMessage: "API returned 500 Internal Server Error after 3 attempts (POST /reports/provider-payments?week=2025-W43&format=pdf)") with
        {
            Exception = new ExceptionInfo(
                "System.Net.Http.HttpRequestException",
                "Response status code does not indicate success: 500 (Internal Server Error).",
                "   at System.Net.Http.HttpResponseMessage.EnsureSuccessStatusCode()\n" +
                "   at SurgiCase.SchedulerService.Execution.ReportJobExecutor.ExecuteAsync(JobDefinition job, CancellationToken cancellationToken) in /src/SurgiCase.SchedulerService/Execution/ReportJobExecutor.cs:line 87\n" +
                "   at Quartz.Core.JobRunShell.Run(CancellationToken cancellationToken)"),
            Details = new Dictionary<string, string>
            {
                ["Endpoint"] = "https://api.surgicase.local/reports/provider-payments?week=2025-W43&format=pdf",
                ["HTTP status"] = "500",
                ["Duration"] = "12.4 s",
            },
        },
        "partial" => TestEvents.Partial(),
        _ => TestEvents.Recovered(),
    };

    private static string OutputFolder()
    {
        if (Environment.GetEnvironmentVariable("SURGICASE_WRITE_SCREENSHOTS") != "1")
        {
            return Directory.CreateTempSubdirectory("surgicase-screenshots-").FullName;
        }

        return Directory.CreateDirectory(RepositoryFolder.Path("docs", "screenshots")).FullName;
    }
}
