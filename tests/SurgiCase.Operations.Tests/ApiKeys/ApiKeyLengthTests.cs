using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace SurgiCase.Operations.Tests.ApiKeys;

/// <summary>Issue 18.6: a key shorter than 32 characters stops start-up, naming the setting and never its value.</summary>
public sealed class ApiKeyLengthTests
{
    private const string LongKey = "operator-key-0123456789abcdef0123";

    [Theory]
    [InlineData("Authentication:ApiKeys:operator", "short-operator-key")]
    [InlineData("Authentication:ApiKeys:operator:next", "0123456789abcdef0123456789abcde")]
    public async Task A_short_key_stops_start_up_naming_it(string setting, string shortKey)
    {
        var settings = new Dictionary<string, string?> { ["Authentication:ApiKeys:operator"] = LongKey, [setting] = shortKey };

        var refused = await Assert.ThrowsAsync<OptionsValidationException>(() =>
            ApiKeyHost.StartAsync(new ConfigurationBuilder().AddInMemoryCollection(settings).Build()));

        Assert.Contains($"{setting} is shorter", refused.Message, StringComparison.Ordinal);
        Assert.Contains("at least 32 characters", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(shortKey, refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_key_of_32_characters_starts()
    {
        var settings = new Dictionary<string, string?> { ["Authentication:ApiKeys:operator"] = new string('k', 32) };

        await using var host = await ApiKeyHost.StartAsync(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());

        using var client = host.Client(new string('k', 32));
        Assert.Equal("operator", await client.GetStringAsync("/who"));
    }
}
