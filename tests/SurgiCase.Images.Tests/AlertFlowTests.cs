using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using SurgiCase.Testing;

namespace SurgiCase.Images.Tests;

/// <summary>
/// The four images together, as on ECS: the scheduler container's failed job reaches the notification container
/// through SQS, which reads the recipients through the secrets container and emails them through SES (moto).
/// </summary>
[Collection(ImageCollection.Name)]
public sealed class AlertFlowTests(ImageStack stack)
{
    private const string JobId = "weekly-provider-payment-report";

    [Fact]
    public async Task Failed_job_in_the_scheduler_image_is_emailed_by_the_notification_image()
    {
        int secretsPort = ImageStack.NewPort(), simulatorPort = ImageStack.NewPort(),
            notificationPort = ImageStack.NewPort(), schedulerPort = ImageStack.NewPort();
        await using var secrets = await stack.Images.StartAsync("secrets-service", await stack.SecretsEnvironmentAsync(secretsPort));
        await using var simulator = await stack.Images.StartAsync("api-simulator", stack.SimulatorEnvironment(simulatorPort));
        await using var notifications = await stack.Images.StartAsync("notification-service",
            await stack.NotificationEnvironmentAsync(notificationPort, secretsPort, schedulerPort));
        await using var scheduler = await stack.Images.StartAsync("scheduler-service",
            await stack.SchedulerEnvironmentAsync(schedulerPort, secretsPort, simulatorPort, notificationPort));
        var all = new[] { secrets, simulator, notifications, scheduler };
        foreach (var container in all)
        {
            await container.WaitForHealthyAsync(stack.Http, TimeSpan.FromSeconds(90));
        }

        using (var fault = await stack.Http.PostAsJsonAsync(new Uri(simulator.BaseAddress, "faults"), new { mode = "error", status = 500 }))
        {
            fault.EnsureSuccessStatusCode();
        }

        using var run = new HttpRequestMessage(HttpMethod.Post, new Uri(scheduler.BaseAddress, $"jobs/{JobId}/run"));
        run.Headers.Add("X-Api-Key", ImageStack.OperatorKey);
        using var accepted = await stack.Http.SendAsync(run);
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var runId = (await accepted.Content.ReadFromJsonAsync<JsonObject>())!["runId"]!.ToString();

        var email = await WaitForEmailAsync(runId, TimeSpan.FromSeconds(60), all);

        Assert.Contains("Weekly Provider Payment Report", email.Subject, StringComparison.Ordinal);
        Assert.Equal([ImageStack.OnCall], email.To);
        Assert.Equal(ImageStack.Sender, email.Source);
        Assert.Contains("500", email.Body, StringComparison.Ordinal);

        foreach (var container in all)
        {
            container.Terminate();
        }

        foreach (var container in all)
        {
            Assert.True(await container.WaitForExitAsync(ImageStack.DrainTimeout + TimeSpan.FromSeconds(5)), $"{container.Name} did not stop:\n{container.Tail()}");
            Assert.True(container.ExitCode == 0, $"{container.Name} exited with {container.ExitCode}:\n{container.Tail()}");
        }
    }

    private async Task<SentEmail> WaitForEmailAsync(string runId, TimeSpan timeout, IEnumerable<SurgiCase.Testing.Containers.ChrootContainer> containers)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            var sent = await stack.Moto.GetSentEmailsAsync();
            if (sent.FirstOrDefault(e => e.Body.Contains(runId, StringComparison.Ordinal)) is { } email)
            {
                return email;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200));
        }

        throw new TimeoutException($"No email for run {runId} within {timeout}.\n"
            + string.Join("\n", containers.Select(c => $"--- {c.Name}\n{c.Tail(15)}")));
    }
}
