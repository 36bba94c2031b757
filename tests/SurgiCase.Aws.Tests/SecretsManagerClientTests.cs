using System.Net;
using SurgiCase.Testing;

namespace SurgiCase.Aws.Tests;

[Collection(MotoCollection.Name)]
public sealed class SecretsManagerClientTests(MotoServer moto)
{
    [Fact]
    public async Task GetSecretValue_returns_the_secret_created_in_moto()
    {
        var name = $"surgicase/test-{Guid.NewGuid():N}";
        const string value = """{"api_key":"k-123"}""";
        await moto.CreateSecretAsync(name, value);
        using var host = new AwsTestHost(moto.Url);

        var secret = await host.Secrets.GetSecretValueAsync(name);

        Assert.Equal(name, secret.Name);
        Assert.Equal(value, secret.SecretString);
        Assert.False(string.IsNullOrEmpty(secret.VersionId));
        Assert.NotNull(secret.CreatedDate);
        Assert.InRange(secret.CreatedDate.Value, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(5));
    }

    [Fact]
    public async Task GetSecretValue_of_a_missing_secret_throws_ResourceNotFoundException()
    {
        using var host = new AwsTestHost(moto.Url);

        var e = await Assert.ThrowsAsync<AwsServiceException>(
            () => host.Secrets.GetSecretValueAsync($"surgicase/missing-{Guid.NewGuid():N}"));

        Assert.Equal("secretsmanager", e.Service);
        Assert.Equal("ResourceNotFoundException", e.ErrorCode);
        // moto 5.2.1 answers 404 where real AWS answers 400; callers branch on ErrorCode, not the status.
        Assert.Equal(HttpStatusCode.NotFound, e.StatusCode);
        Assert.False(e.IsTransient);
        Assert.False(string.IsNullOrWhiteSpace(e.AwsMessage));
    }
}
