using Microsoft.Extensions.Configuration;

namespace SurgiCase.AppHost.CloudAws;

internal static class CloudAwsResourceExtensions
{
    /// <summary>
    /// Points a service at real AWS: the region, the credentials of the profile (or the default chain: the
    /// developer's environment, SSO cache or default profile), and the environment's queues. No endpoint override and
    /// no static keys, so nothing of the local AWS leaks in.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithCloudAws(this IResourceBuilder<ProjectResource> service, CloudAwsSettings aws)
    {
        service.WithEnvironment("Aws__Region", aws.Region);
        if (aws.Profile is not null)
        {
            service.WithEnvironment("AWS_PROFILE", aws.Profile);
        }

        // Every service that uses the queues is told the environment's names (their defaults are the local ones).
        service.WithEnvironment("Messaging__QueueName", aws.Names.JobEventsQueue);
        service.WithEnvironment("Messaging__DeadLetterQueueName", aws.Names.JobEventsDeadLetterQueue);
        return service;
    }

    /// <summary>The notification service sends from the stack's verified identity, with the environment's configuration set.</summary>
    public static IResourceBuilder<ProjectResource> WithCloudEmail(this IResourceBuilder<ProjectResource> notifications, CloudAwsSettings aws)
    {
        notifications.WithEnvironment("Notifications__Sender", aws.Sender);
        notifications.WithEnvironment("Aws__Ses__ConfigurationSetName", aws.ConfigurationSet);
        notifications.WithEnvironment("Notifications__RecipientsSecretName", aws.Names.Secret("surgicase/main"));
        return notifications;
    }

    /// <summary>SecretsService warms and hands out the environment's secrets (surgicase/&lt;environment&gt;/...) only.</summary>
    public static IResourceBuilder<ProjectResource> WithCloudSecrets(this IResourceBuilder<ProjectResource> secretsService, CloudAwsSettings aws)
    {
        var projectFolder = Path.GetDirectoryName(secretsService.Resource.GetProjectMetadata().ProjectPath)!;
        var settings = new ConfigurationBuilder().AddJsonFile(Path.Combine(projectFolder, "appsettings.json"), optional: false).Build();
        foreach (var (key, name) in aws.Names.SecretsServiceLists(settings))
        {
            secretsService.WithEnvironment(key, name);
        }

        return secretsService;
    }
}
