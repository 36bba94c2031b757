using Microsoft.Extensions.Logging;
using SurgiCase.SchedulerService.Jobs;

namespace SurgiCase.SchedulerService.Tests;

/// <summary>The lines the seed's runbook tells operators to search for, rendered word for word.</summary>
public sealed class SeedLogLineTests(ClassificationFixture fixture) : IClassFixture<ClassificationFixture>, IAsyncLifetime
{
    public Task InitializeAsync() => fixture.Simulator.ClearFaultAsync();

    public Task DisposeAsync() => fixture.Simulator.ClearFaultAsync();

    [Fact]
    public async Task A_failed_report_logs_the_seeds_error_line()
    {
        await fixture.Simulator.SetFaultAsync(new { mode = "error", status = 500 });

        await RunAsync(ClassificationFixture.Payment);

        Assert.Contains(fixture.Logs.GetSnapshot(),
            r => r.Level == LogLevel.Error && r.Message == "❌ Provider payment report failed with HTTP status 500");
    }

    [Fact]
    public async Task A_successful_report_logs_the_seeds_success_line()
    {
        await RunAsync(ClassificationFixture.Payment);

        Assert.Contains(fixture.Logs.GetSnapshot(),
            r => r.Level == LogLevel.Information && r.Message == "✅ Weekly provider payment report generated successfully");
    }

    [Theory]
    [InlineData("Weekly Provider Payment Report", "Weekly provider payment report")]
    [InlineData("Weekly NPI Update", "Weekly NPI update")]
    [InlineData("Pool Cleanup/Stats", "Pool cleanup/stats")]
    public void Names_are_written_in_sentence_case_keeping_acronyms(string name, string expected) =>
        Assert.Equal(expected, new JobDefinition { Name = name }.SentenceName);

    private async Task RunAsync(string jobId)
    {
        var runId = await fixture.App.RunAsync(fixture.Client, jobId);
        await SchedulerApp.WaitFinishedAsync(fixture.Client, runId);
    }
}
