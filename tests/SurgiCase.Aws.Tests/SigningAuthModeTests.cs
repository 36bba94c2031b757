using System.Net;
using System.Xml.Linq;
using SurgiCase.Testing;

namespace SurgiCase.Aws.Tests;

/// <summary>
/// Proves the SigV4 signing against moto in auth mode, where moto recomputes every signature.
/// Auth mode stays on for the life of a server, so this class gets its own moto_server.
/// </summary>
public sealed class SigningAuthModeTests(AuthModeMoto moto) : IClassFixture<AuthModeMoto>
{
    [Fact]
    public async Task Correctly_signed_GetSecretValue_is_accepted()
    {
        using var host = new AwsTestHost(moto.Url, moto.AccessKeyId, moto.SecretAccessKey);

        var secret = await host.Secrets.GetSecretValueAsync(AuthModeMoto.SecretName);

        Assert.Equal(AuthModeMoto.SecretValueJson, secret.SecretString);
    }

    [Fact]
    public async Task Correctly_signed_SendEmail_is_accepted()
    {
        using var host = new AwsTestHost(moto.Url, moto.AccessKeyId, moto.SecretAccessKey);

        var messageId = await host.Ses.SendEmailAsync(new EmailMessage(AuthModeMoto.Sender, ["ops@surgicase.local"], "signed", "<p>h</p>", "t"));

        Assert.False(string.IsNullOrWhiteSpace(messageId));
    }

    [Fact]
    public async Task Wrong_secret_key_is_rejected_with_SignatureDoesNotMatch()
    {
        using var host = new AwsTestHost(moto.Url, moto.AccessKeyId, "wrong-" + moto.SecretAccessKey);

        var e = await Assert.ThrowsAsync<AwsServiceException>(() => host.Secrets.GetSecretValueAsync(AuthModeMoto.SecretName));

        Assert.Equal("SignatureDoesNotMatch", e.ErrorCode);
        Assert.Equal(HttpStatusCode.Forbidden, e.StatusCode);
        Assert.Contains("signature", e.AwsMessage, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("p@ss", e.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_configured_keys_the_standard_chain_supplies_them_from_the_environment()
    {
        var previous = (Id: Environment.GetEnvironmentVariable("AWS_ACCESS_KEY_ID"), Key: Environment.GetEnvironmentVariable("AWS_SECRET_ACCESS_KEY"));
        Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", moto.AccessKeyId);
        Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", moto.SecretAccessKey);
        try
        {
            using var host = new AwsTestHost(moto.Url, accessKeyId: "", secretAccessKey: "");

            var secret = await host.Secrets.GetSecretValueAsync(AuthModeMoto.SecretName);

            Assert.Equal(AuthModeMoto.SecretValueJson, secret.SecretString);
        }
        finally
        {
            Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", previous.Id);
            Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", previous.Key);
        }
    }

    [Fact]
    public async Task Unknown_access_key_is_rejected_with_InvalidClientTokenId()
    {
        using var host = new AwsTestHost(moto.Url, "AKIAUNKNOWNKEY000000", moto.SecretAccessKey);

        var e = await Assert.ThrowsAsync<AwsServiceException>(() => host.Secrets.GetSecretValueAsync(AuthModeMoto.SecretName));

        Assert.Equal("InvalidClientTokenId", e.ErrorCode);
        Assert.Equal(HttpStatusCode.Forbidden, e.StatusCode);
    }
}

/// <summary>A moto_server with an IAM user allowed everything, a secret, a verified sender, and auth mode on.</summary>
public sealed class AuthModeMoto : IAsyncLifetime
{
    public const string SecretName = "surgicase/signed";
    public const string SecretValueJson = """{"password":"p@ss"}""";
    public const string Sender = "alerts@surgicase.local";

    private readonly MotoServer _moto = new();

    public Uri Url => _moto.Url;

    public string AccessKeyId { get; private set; } = "";

    public string SecretAccessKey { get; private set; } = "";

    public async Task InitializeAsync()
    {
        await _moto.InitializeAsync();
        await _moto.CreateSecretAsync(SecretName, SecretValueJson);
        await _moto.VerifyEmailIdentityAsync(Sender);

        await _moto.IamAsync("CreateUser", new Dictionary<string, string> { ["UserName"] = "signer" });
        await _moto.IamAsync("PutUserPolicy", new Dictionary<string, string>
        {
            ["UserName"] = "signer",
            ["PolicyName"] = "all",
            ["PolicyDocument"] = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}""",
        });
        var key = await _moto.IamAsync("CreateAccessKey", new Dictionary<string, string> { ["UserName"] = "signer" });
        AccessKeyId = Element(key, "AccessKeyId");
        SecretAccessKey = Element(key, "SecretAccessKey");

        await _moto.EnableAuthAsync();
    }

    public Task DisposeAsync() => _moto.DisposeAsync();

    private static string Element(XDocument doc, string name) =>
        doc.Descendants().First(e => e.Name.LocalName == name).Value;
}
