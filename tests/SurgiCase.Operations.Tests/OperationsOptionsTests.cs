using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace SurgiCase.Operations.Tests;

/// <summary>A bad setting of the page stops the host at start-up with a message naming the key.</summary>
public sealed class OperationsOptionsTests
{
    [Theory]
    [InlineData("Operations:RefreshSeconds", "0", "Operations.RefreshSeconds must be between 1 and 3600.")]
    [InlineData("Operations:PanelTimeout", "00:05:00", "Operations.PanelTimeout must be between")]
    [InlineData("Operations:SignInAttemptsPerMinute", "0", "Operations.SignInAttemptsPerMinute must be between 1 and 1000.")]
    [InlineData("Operations:SessionLifetime", "00:00:10", "Operations.SessionLifetime must be between")]
    [InlineData("SecretsClient:BaseAddress", "", "BaseAddress is required in the SecretsService section")]
    public async Task A_bad_setting_stops_start_up_naming_the_key(string key, string value, string message)
    {
        await using var app = Host(new Dictionary<string, string?> { [key] = value });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_defaults_start()
    {
        await using var app = Host(new Dictionary<string, string?>());

        await app.StartAsync();
        await app.StopAsync();
    }

    private static WebApplication Host(Dictionary<string, string?> settings)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Configuration["Authentication:ApiKeys:operator"] = "operator-key-0123456789abcdef0123";
        builder.Configuration["Operations:BreakGlassKeySignIn"] ??= "true";
        builder.AddApiDefaults();
        builder.AddOperations();
        return builder.Build();
    }
}
