using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace SurgiCase.Operations.Tests.ApiKeys;

/// <summary>
/// The policies of <c>AddApiDefaults</c>: the operator does everything, the operations page's caller reads and
/// acknowledges, a service caller gets none of them; and keys rotate without a restart.
/// </summary>
public sealed class ApiPolicyTests
{
    private const string OperatorKey = "operator-key-0123456789abcdef0123";
    private const string PageKey = "operations-page-key-0123456789abcdef";
    private const string ServiceKey = "scheduler-service-key-0123456789abcdef";

    [Theory]
    [InlineData(OperatorKey, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK)]
    [InlineData(PageKey, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.Forbidden)]
    [InlineData(ServiceKey, HttpStatusCode.Forbidden, HttpStatusCode.Forbidden, HttpStatusCode.Forbidden)]
    [InlineData(null, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized)]
    public async Task Each_caller_gets_what_its_policy_grants(string? key, HttpStatusCode read, HttpStatusCode acknowledge, HttpStatusCode operate)
    {
        await using var host = await ApiKeyHost.StartAsync(Configuration(new()
        {
            ["Authentication:ApiKeys:operator"] = OperatorKey,
            [$"Authentication:ApiKeys:{ApiCallers.OperationsPage}"] = PageKey,
            ["Authentication:ApiKeys:scheduler-service"] = ServiceKey,
        }));
        using var client = host.Client(key);

        Assert.Equal(read, (await client.GetAsync("/read")).StatusCode);
        Assert.Equal(acknowledge, (await client.PostAsync("/acknowledge", null)).StatusCode);
        Assert.Equal(operate, (await client.PostAsync("/operate", null)).StatusCode);
    }

    [Fact]
    public async Task A_key_is_rotated_without_a_restart_old_and_new_both_valid_in_between()
    {
        var configuration = Configuration(new() { ["Authentication:ApiKeys:operator"] = "old-operator-key-0123456789abcdef" });
        await using var host = await ApiKeyHost.StartAsync(configuration);
        using var withOld = host.Client("old-operator-key-0123456789abcdef");
        using var withNew = host.Client("new-operator-key-0123456789abcdef");
        Assert.Equal(HttpStatusCode.Unauthorized, (await withNew.GetAsync("/who")).StatusCode);

        // 1. The new key beside the old one: both open the API, as the same caller.
        configuration["Authentication:ApiKeys:operator:next"] = "new-operator-key-0123456789abcdef";
        configuration.Reload();
        Assert.Equal("operator", await withOld.GetStringAsync("/who"));
        Assert.Equal("operator", await withNew.GetStringAsync("/who"));

        // 2. Callers moved over: the new key alone.
        configuration["Authentication:ApiKeys:operator"] = "new-operator-key-0123456789abcdef";
        configuration["Authentication:ApiKeys:operator:next"] = null;
        configuration.Reload();
        Assert.Equal(HttpStatusCode.Unauthorized, (await withOld.GetAsync("/who")).StatusCode);
        Assert.Equal("operator", await withNew.GetStringAsync("/who"));
    }

    private static IConfigurationRoot Configuration(Dictionary<string, string?> settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
}
