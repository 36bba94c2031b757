using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using SurgiCase.Messaging.Contracts;
using SurgiCase.SchedulerService.Execution;
using SurgiCase.SchedulerService.Storage;

namespace SurgiCase.SchedulerService.Tests;

/// <summary>A report endpoint that answers without end is cut off at the cap, whatever its Content-Length says.</summary>
public sealed class OversizedAnswerTests : IAsyncLifetime
{
    private const string Probe = "oversized-answer-probe";
    private readonly SimulatorHost _simulator = new();
    private WebApplication? _endless;
    private Uri _endlessAddress = null!;
    private long _sent;

    public async Task InitializeAsync()
    {
        await _simulator.InitializeAsync();
        (_endless, _endlessAddress) = await LoopbackKestrel.StartAsync(_ => { }, app => app.MapPost("/api/reports/endless", async (HttpContext http) =>
        {
            // Chunked, no Content-Length: only counting what arrives can stop the reader.
            http.Response.ContentType = "application/json";
            var chunk = new byte[64 * 1024];
            Array.Fill(chunk, (byte)' ');
            while (!http.RequestAborted.IsCancellationRequested && Interlocked.Read(ref _sent) < 4L * ReportBody.MaxBytes)
            {
                await http.Response.Body.WriteAsync(chunk, http.RequestAborted);
                Interlocked.Add(ref _sent, chunk.Length);
            }
        }));
    }

    public async Task DisposeAsync()
    {
        await LoopbackKestrel.StopAsync(_endless);
        await _simulator.DisposeAsync();
    }

    [Fact]
    public async Task An_answer_larger_than_the_cap_fails_the_run_without_being_read_whole()
    {
        using var app = new SchedulerApp(_simulator.BaseAddress,
            SchedulerApp.Job(SchedulerApp.SeedJobCount, Probe, new Uri(_endlessAddress, "api/reports/endless").ToString()));
        using var client = app.CreateOperatorClient();

        var run = await SchedulerApp.WaitFinishedAsync(client, await app.RunAsync(client, Probe));

        Assert.Equal(RunOutcomes.Failed, run.Outcome);
        Assert.Equal(ErrorKinds.Unexpected, run.ErrorKind);
        Assert.Equal("Provider payment report failed: the SurgiCase API's answer is larger than 8 MB and was not read", run.ErrorMessage);
        Assert.True(Interlocked.Read(ref _sent) < 4L * ReportBody.MaxBytes, "the scheduler read the whole endless answer");
    }
}
