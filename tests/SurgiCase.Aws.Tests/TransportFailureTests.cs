using System.Net;
using Microsoft.Extensions.DependencyInjection;
using SurgiCase.Testing;

namespace SurgiCase.Aws.Tests;

public sealed class TransportFailureTests
{
    [Fact]
    public async Task Refused_connection_is_ConnectionFailed_and_transient()
    {
        var closedPort = new Uri($"http://127.0.0.1:{MotoServer.FreeTcpPort()}");
        using var host = new AwsTestHost(closedPort);

        var e = await Assert.ThrowsAsync<AwsServiceException>(() => host.Secrets.GetSecretValueAsync("surgicase/main"));

        Assert.Equal(AwsServiceException.ConnectionFailedCode, e.ErrorCode);
        Assert.Equal((HttpStatusCode)0, e.StatusCode);
        Assert.True(e.IsTransient);
        Assert.IsType<HttpRequestException>(e.InnerException);
    }

    [Fact]
    public async Task No_answer_within_RequestTimeout_is_RequestTimeout_and_transient()
    {
        var never = AwsFaultPlan.Always(AwsFault.Hang);
        using var host = new AwsTestHost(new Uri("http://127.0.0.1:1"), requestTimeout: TimeSpan.FromSeconds(1),
            handler: never.CreateHandler);

        var e = await Assert.ThrowsAsync<AwsServiceException>(() => host.Ses.SendEmailAsync(
            new EmailMessage("alerts@surgicase.local", ["ops@surgicase.local"], "s", "<p>h</p>", "t")));

        Assert.Equal(AwsServiceException.TimeoutCode, e.ErrorCode);
        Assert.Equal((HttpStatusCode)0, e.StatusCode);
        Assert.True(e.IsTransient);
        Assert.Single(never.Requests);
    }

    [Fact]
    public async Task Cancellation_by_the_caller_is_not_reported_as_an_AWS_failure()
    {
        var never = AwsFaultPlan.Always(AwsFault.Hang);
        using var host = new AwsTestHost(new Uri("http://127.0.0.1:1"), handler: never.CreateHandler);
        using var cts = new CancellationTokenSource();

        var call = host.Secrets.GetSecretValueAsync("surgicase/main", cts.Token);
        await never.Reached.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await cts.CancelAsync();

        var e = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.IsNotType<AwsServiceException>(e);
    }

    [Fact]
    public async Task Server_error_is_not_retried_by_the_client()
    {
        // The caller decides on retries (SecretsService falls back to a stale value instead), so one call is one request.
        var failing = AwsFaultPlan.Always(AwsFault.Respond(HttpStatusCode.InternalServerError,
            """{"__type":"InternalServiceError","message":"Dependency exception"}"""));
        using var host = new AwsTestHost(
            new Uri("http://127.0.0.1:1"),
            handler: failing.CreateHandler);

        var e = await Assert.ThrowsAsync<AwsServiceException>(() => host.Secrets.GetSecretValueAsync("surgicase/main"));

        Assert.Equal("InternalServiceError", e.ErrorCode);
        Assert.Equal(HttpStatusCode.InternalServerError, e.StatusCode);
        Assert.Equal("Dependency exception", e.AwsMessage);
        Assert.True(e.IsTransient);
        Assert.Single(failing.Requests);
    }

    [Fact]
    public async Task Unreadable_success_body_is_InvalidResponse_without_echoing_it()
    {
        var garbled = AwsFaultPlan.Always(AwsFault.Respond(HttpStatusCode.OK, """{"SecretString":"hunter2" """));
        using var host = new AwsTestHost(new Uri("http://127.0.0.1:1"), handler: garbled.CreateHandler);

        var e = await Assert.ThrowsAsync<AwsServiceException>(() => host.Secrets.GetSecretValueAsync("surgicase/main"));

        Assert.Equal("InvalidResponse", e.ErrorCode);
        Assert.True(e.IsTransient);
        Assert.DoesNotContain("hunter2", e.ToString(), StringComparison.Ordinal);
    }
}
