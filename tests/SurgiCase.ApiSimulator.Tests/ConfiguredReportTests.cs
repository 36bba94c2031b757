using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using SurgiCase.Testing;

namespace SurgiCase.ApiSimulator.Tests;

/// <summary>
/// The simulator serves the paths the scheduler's jobs call (<c>Scheduler:Jobs</c>), not a list of its own: a new job
/// is served once it is configured, with its faults, idempotency and partial results, and an unknown path says so.
/// </summary>
public sealed class ConfiguredReportTests
{
    private const string NewJobPath = "/api/exports/audit-trail";

    [Fact]
    public async Task A_job_path_it_was_never_coded_for_works_once_configured()
    {
        await using var unconfigured = new WebApplicationFactory<Program>();
        using (var refused = await unconfigured.CreateClient().PostAsync(NewJobPath, null))
        {
            Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
            Assert.Contains("Scheduler:Jobs", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        await using var configured = WithNewJob(new WebApplicationFactory<Program>());
        var client = configured.CreateClient();

        using var response = await client.PostAsync(NewJobPath, null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<ReportResult>();
        Assert.Equal(("weekly-audit-trail-export", 0), (body!.Report, body.Failed));

        // The same fault switches, idempotency and partial results as every other report.
        using var sameKeyRequest = new HttpRequestMessage(HttpMethod.Post, NewJobPath) { Headers = { { "Idempotency-Key", "audit-1" } } };
        using (await client.SendAsync(sameKeyRequest)) { }
        using var repeat = new HttpRequestMessage(HttpMethod.Post, NewJobPath) { Headers = { { "Idempotency-Key", "audit-1" } } };
        using (var replayed = await client.SendAsync(repeat))
        {
            Assert.Equal("true", replayed.Headers.GetValues("Idempotent-Replayed").Single());
        }

        (await client.PostAsJsonAsync("/faults", new { mode = "partial", path = NewJobPath })).EnsureSuccessStatusCode();
        using var partial = await client.PostAsync(NewJobPath, null);
        Assert.True((await partial.Content.ReadFromJsonAsync<ReportResult>())!.Failed > 0);

        (await client.PostAsJsonAsync("/faults", new { mode = "error", status = 500, path = NewJobPath })).EnsureSuccessStatusCode();
        using var failed = await client.PostAsync(NewJobPath, null);
        Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
    }

    [Fact]
    public async Task Every_job_in_the_schedulers_configuration_is_served()
    {
        using var file = JsonDocument.Parse(await File.ReadAllTextAsync(RepositoryFolder.Path("SurgiCase.SchedulerService", "appsettings.json")),
            new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        var jobs = file.RootElement.GetProperty("Scheduler").GetProperty("Jobs").EnumerateArray().ToList();
        await using var factory = new WebApplicationFactory<Program>();
        var client = factory.CreateClient();

        Assert.NotEmpty(jobs);
        foreach (var job in jobs)
        {
            using var request = new HttpRequestMessage(new HttpMethod(job.GetProperty("method").GetString()!), job.GetProperty("url").GetString());
            using var response = await client.SendAsync(request);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{request.Method} {request.RequestUri} answered {(int)response.StatusCode}");
        }
    }

    [Fact]
    public void A_job_path_outside_the_api_stops_start_up_naming_the_key()
    {
        using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            web.UseSetting("Scheduler:Jobs:7:id", "misplaced");
            web.UseSetting("Scheduler:Jobs:7:url", "/faults");
        });

        var error = Assert.ThrowsAny<Exception>(() => factory.CreateClient());

        Assert.Contains("Scheduler:Jobs:7:url", error.ToString(), StringComparison.Ordinal);
    }

    private static WebApplicationFactory<Program> WithNewJob(WebApplicationFactory<Program> factory) =>
        factory.WithWebHostBuilder(web =>
        {
            // Index 7 is the first after the seven seed jobs, as the scheduler's own configuration would number it.
            web.UseSetting("Scheduler:Jobs:7:id", "weekly-audit-trail-export");
            web.UseSetting("Scheduler:Jobs:7:method", "POST");
            web.UseSetting("Scheduler:Jobs:7:url", NewJobPath);
        });
}
