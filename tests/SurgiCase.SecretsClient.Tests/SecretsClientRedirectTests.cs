using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using SurgiCase.Testing;

namespace SurgiCase.SecretsClient.Tests;

/// <summary>The client's <c>X-Api-Key</c> is a default header: a SecretsService address that redirects must not get it sent on.</summary>
public sealed class SecretsClientRedirectTests
{
    [Fact]
    public async Task A_redirecting_SecretsService_is_refused_and_the_key_never_reaches_the_other_host()
    {
        const string key = "secrets-caller-key-do-not-forward";
        using var trap = new RedirectTrap();
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["SecretsClient:BaseAddress"] = trap.Url.ToString(),
                ["SecretsClient:ApiKey"] = key,
            })
            .Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging();
        services.AddSecretsClient();
        await using var provider = services.BuildServiceProvider();

        var error = await Assert.ThrowsAsync<SecretsClientException>(
            () => provider.GetRequiredService<ISecretsClient>().GetSecretAsync("surgicase/api"));

        Assert.Equal(HttpStatusCode.Found, error.StatusCode);
        Assert.Equal(1, trap.Redirects);
        Assert.Empty(trap.Captured);
    }
}
