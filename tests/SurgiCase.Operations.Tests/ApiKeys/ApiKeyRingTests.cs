using System.Net;
using System.Security.Cryptography;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace SurgiCase.Operations.Tests.ApiKeys;

/// <summary>
/// Keys are compared by their SHA-256 digests, so every comparison is over 32 bytes whatever the lengths of the
/// configured and the presented key (a length mismatch used to end the comparison early).
/// </summary>
public sealed class ApiKeyRingTests
{
    private const string OperatorKey = "operator-key-0123456789abcdef0123";

    [Fact]
    public void Every_key_is_compared_by_a_digest_of_the_same_length()
    {
        Assert.Equal(SHA256.HashSizeInBytes, ApiKeyRing.Digest("k").Length);
        Assert.Equal(SHA256.HashSizeInBytes, ApiKeyRing.Digest(new string('k', 4096)).Length);
        Assert.NotEqual(ApiKeyRing.Digest("k"), ApiKeyRing.Digest("K"));
    }

    [Theory]
    [InlineData(OperatorKey, "operator")]
    [InlineData("operator-key-0123456789abcdef012", null)]
    [InlineData(OperatorKey + "9", null)]
    [InlineData("operator-key-0123456789abcdef0120", null)]
    [InlineData("", null)]
    [InlineData("scheduler-key", "scheduler-service")]
    public void Only_the_exact_key_finds_its_caller(string presented, string? caller)
    {
        var ring = new ApiKeyRing([new("operator", OperatorKey), new("scheduler-service", "scheduler-key"), new("unused", "")]);

        Assert.Equal(caller, ring.FindCaller(presented));
        Assert.Equal(2, ring.Count);
    }

    [Fact]
    public async Task The_api_accepts_the_key_and_nothing_near_it()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Authentication:ApiKeys:operator"] = OperatorKey })
            .Build();
        await using var host = await ApiKeyHost.StartAsync(configuration);

        using var right = host.Client(OperatorKey);
        Assert.Equal("operator", await right.GetStringAsync("/who"));
        foreach (var near in new[] { OperatorKey[..^1], OperatorKey + "x", OperatorKey.ToUpperInvariant() })
        {
            using var wrong = host.Client(near);
            Assert.Equal(HttpStatusCode.Unauthorized, (await wrong.GetAsync("/who")).StatusCode);
        }
    }
}
