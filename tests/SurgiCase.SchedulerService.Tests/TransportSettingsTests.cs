using Microsoft.Extensions.Options;

namespace SurgiCase.SchedulerService.Tests;

/// <summary>Issue 18.6: the scheduler refuses to call the SurgiCase API (with its key) over plain http off the host.</summary>
public sealed class TransportSettingsTests
{
    [Fact]
    public void A_plain_http_api_address_stops_start_up_outside_development_naming_the_key()
    {
        using var app = new SchedulerApp(new Uri("http://surgicase-api.example/"));

        var refused = Assert.Throws<OptionsValidationException>(() => app.CreateClient());

        Assert.Contains("SurgiCaseApi:BaseAddress must be an https URL outside Development", refused.Message, StringComparison.Ordinal);
    }
}
