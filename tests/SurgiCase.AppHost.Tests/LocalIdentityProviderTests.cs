using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using static SurgiCase.AppHost.Tests.CloudModeTests;

namespace SurgiCase.AppHost.Tests;

/// <summary>
/// The issuer wiring of a local run: the AppHost starts SurgiCase.IdentityProvider and points the operations page's
/// Operations:Oidc:* at it, with the client secret and the people's passwords as generated parameters (never literals).
/// </summary>
public sealed class LocalIdentityProviderTests
{
    [Fact]
    public async Task The_page_signs_in_at_the_local_provider_which_knows_the_page_as_its_client()
    {
        await using var app = await BuildAsync([]);
        var model = app.Services.GetRequiredService<DistributedApplicationModel>();

        var page = await EnvironmentOf(model, "scheduler-service");
        Assert.Equal("{identity-provider.bindings.http.url}", page["Operations__Oidc__Authority"]);
        Assert.Equal("surgicase-operations", page["Operations__Oidc__ClientId"]);
        Assert.Equal("{oidc-client-secret.value}", page["Operations__Oidc__ClientSecret"]);
        Assert.Equal("role", page["Operations__Oidc__RoleClaim"]);
        Assert.Equal("false", page["Operations__Oidc__RequireHttpsMetadata"]);
        Assert.DoesNotContain("Operations__BreakGlassKeySignIn", page.Keys);

        var provider = await EnvironmentOf(model, "identity-provider");
        Assert.Equal("surgicase-operations", provider["IdentityProvider__ClientId"]);
        Assert.Equal("{oidc-client-secret.value}", provider["IdentityProvider__ClientSecret"]);
        Assert.Equal("{scheduler-service.bindings.http.url}/signin-oidc", provider["IdentityProvider__RedirectUri"]);
        Assert.Equal("{idp-olivia-password.value}", provider["IdentityProvider__People__olivia__Password"]);
        Assert.Equal("{idp-victor-password.value}", provider["IdentityProvider__People__victor__Password"]);
    }
}
