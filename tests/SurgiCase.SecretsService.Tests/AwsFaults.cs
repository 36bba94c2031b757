using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using SurgiCase.Testing;

namespace SurgiCase.SecretsService.Tests;

/// <summary>A fault moto cannot produce, injected in front of the real Secrets Manager client.</summary>
public abstract record AwsFault
{
    public static AwsFault InternalServiceError { get; } = new AwsErrorFault("InternalServiceError", HttpStatusCode.InternalServerError);

    public static AwsFault ServiceUnavailable { get; } = new AwsErrorFault("ServiceUnavailable", HttpStatusCode.ServiceUnavailable);

    public static AwsFault Throttling { get; } = new AwsErrorFault("ThrottlingException", HttpStatusCode.BadRequest);

    /// <summary>The request fails the way HttpClient reports its own timeout, without waiting for it.</summary>
    public static AwsFault Timeout { get; } = new TimeoutFault();

    /// <summary>Waits until the client's real timeout cancels the call.</summary>
    public static AwsFault Hang { get; } = new HangFault();

    /// <summary>The request goes to a closed loopback port: a real refused connection.</summary>
    public static AwsFault Refused { get; } = new RefusedFault();

    /// <summary>The credential provider fails the way the SDK reports it (e.g. STS or the instance metadata service is down).</summary>
    public static AwsFault CredentialsUnavailable { get; } = new CredentialsFault();

    /// <summary>An exception nobody translates: a bug or a failure mode no one foresaw.</summary>
    public static AwsFault Unexpected { get; } = new UnexpectedFault();

    public sealed record AwsErrorFault(string Code, HttpStatusCode Status) : AwsFault;

    public sealed record CredentialsFault : AwsFault;

    public sealed record UnexpectedFault : AwsFault;

    public sealed record TimeoutFault : AwsFault;

    public sealed record HangFault : AwsFault;

    public sealed record RefusedFault : AwsFault;
}

/// <summary>What the fault handler does, shared by every handler instance the client factory builds; counts AWS calls.</summary>
public sealed class AwsFaultPlan
{
    private readonly ConcurrentDictionary<string, AwsFault> _perSecret = new(StringComparer.Ordinal);
    private int _calls;

    /// <summary>Applies to every secret without its own fault.</summary>
    public AwsFault? AllSecrets { get; set; }

    /// <summary>When set, each call waits for it before going on (to hold a fetch in flight).</summary>
    public TaskCompletionSource? Gate { get; set; }

    public int Calls => Volatile.Read(ref _calls);

    public void ResetCalls() => Interlocked.Exchange(ref _calls, 0);

    public void Fail(string secretName, AwsFault fault) => _perSecret[secretName] = fault;

    public void Heal()
    {
        AllSecrets = null;
        _perSecret.Clear();
    }

    internal int CountCall() => Interlocked.Increment(ref _calls);

    internal AwsFault? FaultFor(string secretId) => _perSecret.TryGetValue(secretId, out var fault) ? fault : AllSecrets;
}

internal sealed class AwsFaultHandler(AwsFaultPlan plan) : DelegatingHandler
{
    private static readonly int ClosedPort = MotoServer.FreeTcpPort();

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        plan.CountCall();
        if (plan.Gate is { } gate)
        {
            await gate.Task.WaitAsync(cancellationToken);
        }

        var body = request.Content is null ? "{}" : await request.Content.ReadAsStringAsync(cancellationToken);
        var secretId = JsonDocument.Parse(body).RootElement.TryGetProperty("SecretId", out var id) ? id.GetString() ?? "" : "";
        switch (plan.FaultFor(secretId))
        {
            case AwsFault.AwsErrorFault error:
                return new HttpResponseMessage(error.Status)
                {
                    Content = new StringContent(
                        $$"""{"__type":"{{error.Code}}","message":"Injected {{error.Code}}"}""", Encoding.UTF8, "application/x-amz-json-1.1"),
                };
            case AwsFault.TimeoutFault:
                throw new TaskCanceledException("The request was canceled due to the configured HttpClient.Timeout.", new TimeoutException());
            case AwsFault.CredentialsFault:
                // Where the signer's credential resolution throws: before the request leaves.
                throw new Amazon.Runtime.AmazonServiceException("Unable to get IAM security credentials from EC2 Instance Metadata Service.");
            case AwsFault.UnexpectedFault:
                throw new InvalidOperationException("Injected unexpected failure.");
            case AwsFault.HangFault:
                await Task.Delay(System.Threading.Timeout.Infinite, cancellationToken);
                throw new InvalidOperationException("unreachable");
            case AwsFault.RefusedFault:
                request.RequestUri = new UriBuilder(request.RequestUri!) { Port = ClosedPort }.Uri;
                return await base.SendAsync(request, cancellationToken);
            default:
                return await base.SendAsync(request, cancellationToken);
        }
    }
}
