using System.Reflection;
using System.Text.Json.Nodes;

namespace SurgiCase.Deploy.Tests;

/// <summary>One service as the template runs it: its ECS service, task definition and containers.</summary>
public sealed record DeployedService(string Name, string ServiceId, JsonObject Service, string TaskDefinitionId, JsonObject TaskDefinition)
{
    public IReadOnlyList<JsonObject> Containers => [.. TaskDefinition["Properties"]!["ContainerDefinitions"]!.AsArray().Select(c => c!.AsObject())];

    public JsonObject Container(string name) => Assert.Single(Containers, c => (string?)c["Name"] == name);

    public JsonObject App => Container("app");

    public IReadOnlyDictionary<string, JsonNode?> Environment =>
        (App["Environment"]?.AsArray() ?? []).ToDictionary(e => (string)e!["Name"]!, e => e!["Value"]);

    public IReadOnlyDictionary<string, JsonNode?> Secrets =>
        (App["Secrets"]?.AsArray() ?? []).ToDictionary(e => (string)e!["Name"]!, e => e!["ValueFrom"]);

    public string TaskRoleId => (string)TaskDefinition["Properties"]!["TaskRoleArn"]!["Fn::GetAtt"]![0]!;

    public string ExecutionRoleId => (string)TaskDefinition["Properties"]!["ExecutionRoleArn"]!["Fn::GetAtt"]![0]!;

    /// <summary>The service's own assembly, whose options say which configuration keys it reads.</summary>
    public Assembly Assembly => System.Reflection.Assembly.Load(Name switch
    {
        "scheduler-service" => "SurgiCase.SchedulerService",
        "notification-service" => "SurgiCase.NotificationService",
        "secrets-service" => "SurgiCase.SecretsService",
        "api-simulator" => "SurgiCase.ApiSimulator",
        _ => throw new ArgumentOutOfRangeException(nameof(Name), Name, "not a SurgiCase service"),
    });
}

public static class TaskDefinitionsExtensions
{
    public static IReadOnlyList<DeployedService> Services(this TemplateJson template) =>
    [
        .. template.Resources("AWS::ECS::Service").Select(s =>
        {
            var taskId = (string)s.Resource["Properties"]!["TaskDefinition"]!["Ref"]!;
            return new DeployedService((string)s.Resource["Properties"]!["ServiceName"]!, s.Id, s.Resource, taskId, template.Resource(taskId));
        }),
    ];

    public static DeployedService Service(this TemplateJson template, string name) =>
        Assert.Single(template.Services(), s => s.Name == name);
}
