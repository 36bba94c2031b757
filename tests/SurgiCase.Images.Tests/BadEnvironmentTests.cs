using Microsoft.Extensions.Hosting;
using SurgiCase.NotificationService;
using SurgiCase.SchedulerService.Jobs;
using SurgiCase.SecretsService;

namespace SurgiCase.Images.Tests;

/// <summary>A container missing a required variable, or given a bad one, exits non-zero with one line naming the key.</summary>
[Collection(ImageCollection.Name)]
public sealed class BadEnvironmentTests(ImageStack stack)
{
    public static TheoryData<string, string> EveryRequiredSetting()
    {
        var data = new TheoryData<string, string>();
        foreach (var (service, settings) in new (string, IReadOnlyList<RequiredSetting>)[]
        {
            ("scheduler-service", SchedulerProductionSettings.Required),
            ("notification-service", NotificationProductionSettings.Required),
            ("secrets-service", SecretsProductionSettings.Required),
        })
        {
            foreach (var setting in settings)
            {
                data.Add(service, string.Join(",", setting.EnvironmentVariables));
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EveryRequiredSetting))]
    public async Task Missing_required_variable_stops_the_container_naming_it(string service, string variables)
    {
        var environment = await stack.EnvironmentAsync(service, ImageStack.NewPort());
        var removed = variables.Split(',');
        foreach (var variable in removed)
        {
            environment.Remove(variable);
        }

        var line = await RunToFailureAsync(service, environment);

        Assert.All(removed, variable => Assert.Contains(variable, line, StringComparison.Ordinal));
        Assert.Contains("cannot start in Production", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invalid_drain_timeout_stops_the_container_naming_the_key()
    {
        var environment = await stack.EnvironmentAsync("secrets-service", ImageStack.NewPort());
        environment["Shutdown__DrainTimeout"] = "00:01:00";

        var line = await RunToFailureAsync("secrets-service", environment);

        Assert.Contains("Shutdown:DrainTimeout", line, StringComparison.Ordinal);
    }

    private async Task<string> RunToFailureAsync(string service, Dictionary<string, string> environment)
    {
        await using var container = await stack.Images.StartAsync(service, environment);

        Assert.True(await container.WaitForExitAsync(TimeSpan.FromSeconds(60)), $"{service} did not stop:\n{container.Tail()}");
        Assert.Equal(78, container.ExitCode);
        // One line, no stack trace: what an operator reads at the end of the task's log.
        Assert.DoesNotContain(container.Output, line => line.TrimStart().StartsWith("at ", StringComparison.Ordinal));
        return container.Output[^1];
    }
}
