using System.Text.Json.Nodes;

namespace SurgiCase.Deploy.Tests;

/// <summary>The seed's Phase 3 dashboard: one per environment, with the widgets issue 17 lists.</summary>
[Collection(StackCollection.Name)]
public sealed class DashboardTests
{
    [Fact]
    public void The_dashboard_shows_jobs_alerts_queues_secrets_heartbeat_and_the_alarms()
    {
        var json = SynthesizedStack.Default.Json;
        var dashboard = Assert.Single(json.Resources("AWS::CloudWatch::Dashboard")).Resource["Properties"]!;
        Assert.Equal("surgicase-production", (string?)dashboard["DashboardName"]);

        var widgets = Widgets(json);
        var titles = widgets.Select(w => (string?)w["properties"]!["title"]).ToList();
        Assert.Equal(
            [
                "Job runs by job and outcome (5 min)",
                "Job run duration by job (s, average)",
                "Overdue critical jobs and scheduler heartbeat",
                "Alerts sent by channel (email; webhook is the second channel)",
                "Alerts failed on every channel, deduplicated, suppressed",
                "Job-events queue: depth and in flight",
                "Oldest job event in the queue (s)",
                "Dead letters (not emailed)",
                "Secrets served by source (fresh, cached, stale, error)",
                "Oldest secret served stale (s)",
                "Secrets Manager breaker (0 closed, 1 half-open, 2 open)",
                "Alarms",
            ],
            titles);

        // Each graph draws what its title says.
        string Drawn(string title) => TemplateJson.Canonical(widgets.Single(w => (string?)w["properties"]!["title"] == title)["properties"]);
        Assert.Contains("surgicase.scheduler.runs", Drawn("Job runs by job and outcome (5 min)"), StringComparison.Ordinal);
        Assert.Contains("surgicase.scheduler.run.duration", Drawn("Job run duration by job (s, average)"), StringComparison.Ordinal);
        Assert.Contains("surgicase.scheduler.jobs.overdue", Drawn("Overdue critical jobs and scheduler heartbeat"), StringComparison.Ordinal);
        Assert.Contains("surgicase.scheduler.heartbeat", Drawn("Overdue critical jobs and scheduler heartbeat"), StringComparison.Ordinal);
        Assert.Contains("surgicase.notifications.sent", Drawn("Alerts sent by channel (email; webhook is the second channel)"), StringComparison.Ordinal);
        Assert.Contains("surgicase.notifications.failed", Drawn("Alerts failed on every channel, deduplicated, suppressed"), StringComparison.Ordinal);
        Assert.Contains("ApproximateNumberOfMessagesVisible", Drawn("Job-events queue: depth and in flight"), StringComparison.Ordinal);
        Assert.Contains("ApproximateAgeOfOldestMessage", Drawn("Oldest job event in the queue (s)"), StringComparison.Ordinal);
        Assert.Contains("surgicase-production-job-events-dlq", Drawn("Dead letters (not emailed)"), StringComparison.Ordinal);
        Assert.Contains("surgicase.secrets.lookups", Drawn("Secrets served by source (fresh, cached, stale, error)"), StringComparison.Ordinal);
        Assert.Contains("surgicase.secrets.oldest_stale_age", Drawn("Oldest secret served stale (s)"), StringComparison.Ordinal);
        Assert.Contains("surgicase.secrets.breaker_state", Drawn("Secrets Manager breaker (0 closed, 1 half-open, 2 open)"), StringComparison.Ordinal);
        var alarms = widgets.Single(w => (string?)w["properties"]!["title"] == "Alarms")["properties"]!["alarms"]!.AsArray();
        Assert.Equal(17, alarms.Count);
    }

    /// <summary>
    /// The dashboard's widgets, parsed from its body (a Fn::Join of literal JSON and references: each reference is
    /// written as its logical id or pseudo parameter, or the queue's name for a queue).
    /// </summary>
    public static IReadOnlyList<JsonNode> Widgets(TemplateJson json)
    {
        var parts = json.Resources("AWS::CloudWatch::Dashboard").Single().Resource["Properties"]!["DashboardBody"]!["Fn::Join"]![1]!.AsArray();
        var body = string.Concat(parts.Select(p => p switch
        {
            JsonValue literal => (string)literal!,
            JsonObject { } reference when reference["Fn::GetAtt"] is JsonArray getAtt && (string?)getAtt[1] == "QueueName" =>
                (string)json.PropertiesOf((string)getAtt[0]!)["QueueName"]!,
            JsonObject { } reference when reference["Ref"] is JsonValue id => (string)id!,
            JsonObject { } reference when reference["Fn::GetAtt"] is JsonArray getAtt => $"{getAtt[0]}.{getAtt[1]}",
            _ => throw new Xunit.Sdk.XunitException($"unexpected part of the dashboard body: {TemplateJson.Canonical(p)}"),
        }));
        return [.. JsonNode.Parse(body)!["widgets"]!.AsArray().Select(w => w!)];
    }
}
