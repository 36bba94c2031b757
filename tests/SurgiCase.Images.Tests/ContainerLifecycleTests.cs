using System.Diagnostics;
using System.Text.Json;
using SurgiCase.Testing.Containers;

namespace SurgiCase.Images.Tests;

/// <summary>Each image starts from environment variables alone, turns Healthy, and on SIGTERM drains and exits 0 in time.</summary>
[Collection(ImageCollection.Name)]
public sealed class ContainerLifecycleTests(ImageStack stack)
{
    public static TheoryData<string> Services => new(ImageSet.Services);

    [Theory]
    [MemberData(nameof(Services))]
    public async Task Image_starts_from_environment_alone_is_healthy_and_drains_on_sigterm(string service)
    {
        await using var container = await StartHealthyAsync(service);

        using (var alive = await stack.Http.GetAsync(new Uri(container.BaseAddress, "alive")))
        {
            Assert.True(alive.IsSuccessStatusCode, $"/alive answered {(int)alive.StatusCode}");
        }

        var stopping = Stopwatch.StartNew();
        container.Terminate();
        var exited = await container.WaitForExitAsync(ImageStack.DrainTimeout + TimeSpan.FromSeconds(5));

        Assert.True(exited, $"{service} still ran {stopping.Elapsed} after SIGTERM:\n{container.Tail()}");
        Assert.True(container.ExitCode == 0, $"{service} exited with {container.ExitCode}:\n{container.Tail()}");
        Assert.Contains(container.Output, line => line.Contains("Stopping: draining for at most 10 s", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Services))]
    public async Task Image_logs_one_json_object_per_line_in_production(string service)
    {
        await using var container = await StartHealthyAsync(service);
        container.Terminate();
        await container.WaitForExitAsync(ImageStack.DrainTimeout + TimeSpan.FromSeconds(5));

        Assert.NotEmpty(container.Output);
        foreach (var line in container.Output)
        {
            Assert.True(IsJsonLogEntry(line), $"not a JSON log entry: {line}");
        }

        Assert.DoesNotContain(container.Output, line => line.Contains(ImageStack.OperatorKey, StringComparison.Ordinal)
            || line.Contains(ImageStack.SurgiCaseApiKey, StringComparison.Ordinal));
    }

    private async Task<ChrootContainer> StartHealthyAsync(string service)
    {
        var container = await stack.Images.StartAsync(service, await stack.EnvironmentAsync(service, ImageStack.NewPort()));
        try
        {
            await container.WaitForHealthyAsync(stack.Http, TimeSpan.FromSeconds(90));
            return container;
        }
        catch
        {
            await container.DisposeAsync();
            throw;
        }
    }

    private static bool IsJsonLogEntry(string line)
    {
        try
        {
            using var entry = JsonDocument.Parse(line);
            return entry.RootElement.TryGetProperty("LogLevel", out _) && entry.RootElement.TryGetProperty("Message", out _);
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
