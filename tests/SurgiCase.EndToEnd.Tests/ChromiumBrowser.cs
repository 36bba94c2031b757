using Microsoft.Playwright;
using SurgiCase.Testing;

namespace SurgiCase.EndToEnd.Tests;

/// <summary>
/// Debian's chromium driven by Playwright (no downloaded browser: <c>apt-get install chromium</c>), one per test class.
/// </summary>
public sealed class ChromiumBrowser : IAsyncLifetime
{
    public const string ExecutablePath = "/usr/bin/chromium";

    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        if (!File.Exists(ExecutablePath))
        {
            throw new InvalidOperationException(
                $"{ExecutablePath} is missing: apt-get update && apt-get install -y chromium fonts-noto-color-emoji");
        }

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
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
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
    }

    /// <summary>
    /// Where screenshots go: <c>docs/screenshots</c> of the repository when <c>SURGICASE_WRITE_SCREENSHOTS=1</c>
    /// (to refresh the README's pictures), else a temporary folder.
    /// </summary>
    public static string ScreenshotPath(string name)
    {
        var folder = Environment.GetEnvironmentVariable("SURGICASE_WRITE_SCREENSHOTS") == "1"
            ? RepositoryFolder.Path("docs", "screenshots")
            : Path.Combine(Path.GetTempPath(), "surgicase-screenshots");
        Directory.CreateDirectory(folder);
        return Path.Combine(folder, name);
    }
}
