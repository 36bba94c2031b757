using System.Net;
using Amazon.Runtime;
using Microsoft.Extensions.DependencyInjection;
using SurgiCase.Testing;

namespace SurgiCase.Aws.Tests;

/// <summary>
/// Failures to resolve credentials (the SDK's chain, STS, the instance metadata service) and garbled answers to a read
/// are outages on the way to AWS, not AWS's verdict: callers must see a transient <see cref="AwsServiceException"/>,
/// never the SDK's exception (which a caller would not handle and would leave a breaker probe unrecorded).
/// </summary>
public sealed class CredentialFailureTests
{
    public static TheoryData<string, string> SdkFailures => new()
    {
        { "client", AwsServiceException.CredentialsUnavailableCode },
        { "service-without-code", AwsServiceException.CredentialsUnavailableCode },
        { "service-with-code", "ExpiredTokenException" },
    };

    [Theory]
    [MemberData(nameof(SdkFailures))]
    public async Task A_credential_provider_failure_is_a_transient_AwsServiceException(string failure, string expectedCode)
    {
        var credentialFailure = Throwing(failure);
        using var host = new AwsTestHost(new Uri("http://127.0.0.1:1"), handler: credentialFailure);

        var e = await Assert.ThrowsAsync<AwsServiceException>(() => host.Secrets.GetSecretValueAsync("surgicase/main"));

        Assert.Equal(expectedCode, e.ErrorCode);
        Assert.Equal((HttpStatusCode)0, e.StatusCode);
        Assert.True(e.IsTransient);
        Assert.Equal(failure == "client" ? typeof(AmazonClientException) : typeof(AmazonServiceException), e.InnerException?.GetType());
        Assert.DoesNotContain("sdk-internal-detail", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_credential_failure_before_an_email_is_sent_is_transient_too()
    {
        var credentialFailure = Throwing("client");
        using var host = new AwsTestHost(new Uri("http://127.0.0.1:1"), handler: credentialFailure);

        var e = await Assert.ThrowsAsync<AwsServiceException>(() => host.Ses.SendEmailAsync(
            new EmailMessage("alerts@surgicase.local", ["ops@surgicase.local"], "s", "<p>h</p>", "t")));

        Assert.Equal(AwsServiceException.CredentialsUnavailableCode, e.ErrorCode);
        Assert.True(e.IsTransient);
    }

    [Fact]
    public async Task Unreadable_answer_to_a_read_is_transient_but_to_a_send_is_not()
    {
        var garbled = AwsFaultPlan.Always(AwsFault.Respond(HttpStatusCode.OK, """{"SecretString":"hunter2" """));
        using var host = new AwsTestHost(new Uri("http://127.0.0.1:1"), handler: garbled.CreateHandler);

        var read = await Assert.ThrowsAsync<AwsServiceException>(() => host.Secrets.GetSecretValueAsync("surgicase/main"));
        var send = await Assert.ThrowsAsync<AwsServiceException>(() => host.Ses.SendEmailAsync(
            new EmailMessage("alerts@surgicase.local", ["ops@surgicase.local"], "s", "<p>h</p>", "t")));

        Assert.Equal(AwsServiceException.InvalidResponseCode, read.ErrorCode);
        Assert.True(read.IsTransient);
        // SES may have sent the email already: a retry could send it twice.
        Assert.Equal(AwsServiceException.InvalidResponseCode, send.ErrorCode);
        Assert.False(send.IsTransient);
    }

    /// <summary>Throws where the signer would when its credentials cannot be resolved: before the request leaves.</summary>
    private static Func<DelegatingHandler> Throwing(string failure) => () => new ThrowingHandler(failure switch
    {
        "client" => new AmazonClientException("Failed to resolve AWS credentials: sdk-internal-detail"),
        "service-without-code" => new AmazonServiceException("Unable to get IAM security credentials: sdk-internal-detail"),
        _ => new AmazonServiceException("The security token included in the request is expired: sdk-internal-detail")
        {
            ErrorCode = "ExpiredTokenException",
            StatusCode = HttpStatusCode.Forbidden,
        },
    });

    private sealed class ThrowingHandler(Exception failure) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            throw failure;
    }
}
