namespace SurgiCase.AppHost.CloudAws;

internal static class CloudAwsResourceExtensions
{
    /// <summary>
    /// Points a service at real AWS: the region, and the credentials of the profile (or the default chain: the
    /// developer's environment, SSO cache or default profile). No endpoint override and no static keys, so nothing of
    /// the local AWS leaks in.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithCloudAws(this IResourceBuilder<ProjectResource> service, CloudAwsSettings aws)
    {
        service.WithEnvironment("Aws__Region", aws.Region);
        if (aws.Profile is not null)
        {
            service.WithEnvironment("AWS_PROFILE", aws.Profile);
        }

        return service;
    }

    /// <summary>The notification service sends from the stack's verified identity, with its configuration set when given.</summary>
    public static IResourceBuilder<ProjectResource> WithCloudEmail(this IResourceBuilder<ProjectResource> notifications, CloudAwsSettings aws)
    {
        notifications.WithEnvironment("Notifications__Sender", aws.Sender);
        if (aws.ConfigurationSet is not null)
        {
            notifications.WithEnvironment("Aws__Ses__ConfigurationSetName", aws.ConfigurationSet);
        }

        return notifications;
    }
}
