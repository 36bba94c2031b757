using SurgiCase.AppHost.LocalAws;

namespace SurgiCase.AppHost.LocalIdentity;

/// <summary>
/// SurgiCase.IdentityProvider as a resource, and the operations page's Operations:Oidc:* pointed at it. The seeded people
/// (olivia: operator, victor: viewer) sign in with passwords generated once per machine and kept in the AppHost's user
/// secrets; the client secret likewise.
/// </summary>
internal static class LocalIdentityProviderExtensions
{
    public const string ClientId = "surgicase-operations";

    /// <summary>The seeded people by user name and the parameter holding each one's password.</summary>
    public static readonly IReadOnlyDictionary<string, string> PasswordParameters = new Dictionary<string, string>
    {
        ["olivia"] = "idp-olivia-password",
        ["victor"] = "idp-victor-password",
    };

    public const string ClientSecretParameter = "oidc-client-secret";

    public static IResourceBuilder<ProjectResource> AddLocalIdentityProvider(
        this IDistributedApplicationBuilder builder, string name, IResourceBuilder<ProjectResource> operationsPage)
    {
        var clientSecret = builder.AddGeneratedSecret(ClientSecretParameter)
            .WithDescription("The operations page's client secret at the local identity provider.");
        var provider = builder.AddProject<Projects.SurgiCase_IdentityProvider>(name)
            .WithEnvironment("IdentityProvider__ClientId", ClientId)
            .WithEnvironment("IdentityProvider__ClientSecret", clientSecret)
            .WithEnvironment("IdentityProvider__RedirectUri", ReferenceExpression.Create($"{operationsPage.GetEndpoint("http")}/signin-oidc"))
            .WithEnvironment("IdentityProvider__PostLogoutRedirectUri", ReferenceExpression.Create($"{operationsPage.GetEndpoint("http")}/signout-callback-oidc"))
            .WithHttpHealthCheck("/health");
        foreach (var (person, parameter) in PasswordParameters)
        {
            var password = builder.AddGeneratedSecret(parameter)
                .WithDescription($"The password of '{person}' at the local identity provider (dotnet user-secrets list --project SurgiCase.AppHost).");
            provider.WithEnvironment($"IdentityProvider__People__{person}__Password", password);
        }

        provider.WithAnnotation(new ClientSecretAnnotation(clientSecret));
        return provider;
    }

    /// <summary>The operations page signs in at the local provider (plain http on localhost, so no https metadata).</summary>
    public static IResourceBuilder<ProjectResource> WithLocalIdentityProvider(
        this IResourceBuilder<ProjectResource> operationsPage, IResourceBuilder<ProjectResource> provider)
    {
        var clientSecret = provider.Resource.Annotations.OfType<ClientSecretAnnotation>().Single().Secret;
        return operationsPage
            .WithEnvironment("Operations__Oidc__Authority", provider.GetEndpoint("http"))
            .WithEnvironment("Operations__Oidc__ClientId", ClientId)
            .WithEnvironment("Operations__Oidc__ClientSecret", clientSecret)
            .WithEnvironment("Operations__Oidc__Scopes", "openid profile email roles")
            .WithEnvironment("Operations__Oidc__RoleClaim", "role")
            .WithEnvironment("Operations__Oidc__RequireHttpsMetadata", "false")
            .WaitFor(provider);
    }

    private sealed record ClientSecretAnnotation(IResourceBuilder<ParameterResource> Secret) : IResourceAnnotation;
}
