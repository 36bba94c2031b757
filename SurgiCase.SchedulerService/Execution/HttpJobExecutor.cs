using System.Net.Sockets;
using Microsoft.Extensions.Options;
using SurgiCase.Messaging.Contracts;
using SurgiCase.SchedulerService.Jobs;

namespace SurgiCase.SchedulerService.Execution;

/// <summary>
/// Makes one attempt of a job's HTTP call under the job's own timeout and classifies the outcome:
/// non-success status, timeout, connection failure, anything else, or a 200 that reports failed items.
/// </summary>
internal sealed class HttpJobExecutor(
    IHttpClientFactory httpClientFactory,
    IApiCredentialProvider credentials,
    IOptions<SurgiCaseApiOptions> apiOptions,
    HostCircuitBreaker breaker,
    TimeProvider timeProvider)
{
    public const string HttpClientName = "surgicase-api";

    public Uri ResolveUrl(JobDefinition job)
    {
        var url = new Uri(job.Url, UriKind.RelativeOrAbsolute);
        return url.IsAbsoluteUri ? url : new Uri(apiOptions.Value.BaseAddress, url);
    }

    /// <param name="idempotencyKey">The run's key, the same on every attempt (<see cref="IdempotencyKeys"/>).</param>
    public async Task<AttemptResult> ExecuteAsync(JobDefinition job, string idempotencyKey, CancellationToken cancellationToken)
    {
        var host = ResolveUrl(job).Authority;
        if (breaker.IsRefusing(host, out var openUntil))
        {
            return CircuitOpen(job, host, openUntil, timeProvider.GetTimestamp());
        }

        var started = timeProvider.GetTimestamp();
        // The job's timeout runs on the injected clock, so tests can drive it without waiting.
        using var timeout = new CancellationTokenSource(job.Timeout, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        return await ClassifyFailuresAsync(job, started, timeout, cancellationToken, async () =>
        {
            // Read before the circuit is entered: a SecretsService outage says nothing about the API's host.
            var credential = await credentials.GetAsync(job, linked.Token);
            return await breaker.ExecuteAsync(
                host,
                token => ClassifyFailuresAsync(job, started, timeout, cancellationToken, () => SendAsync(job, idempotencyKey, credential, started, token)),
                until => CircuitOpen(job, host, until, started),
                linked.Token);
        });
    }

    private async ValueTask<AttemptResult> SendAsync(JobDefinition job, string idempotencyKey, ApiCredential? credential, long started, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(new HttpMethod(job.Method.ToUpperInvariant()), ResolveUrl(job));
        request.Headers.TryAddWithoutValidation(IdempotencyKeys.HeaderName, idempotencyKey);
        if (credential is not null)
        {
            request.Headers.TryAddWithoutValidation(credential.HeaderName, credential.Value);
        }

        var client = httpClientFactory.CreateClient(HttpClientName);
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        var status = (int)response.StatusCode;
        if (status is >= 300 and < 400)
        {
            return new AttemptResult
            {
                Outcome = Storage.RunOutcomes.Failed,
                ErrorKind = ErrorKinds.Redirected,
                ErrorMessage = FailureMessages.Redirected(job, status, response.Headers.Location),
                StatusCode = status,
                Duration = Elapsed(started),
            };
        }

        if (!response.IsSuccessStatusCode)
        {
            return new AttemptResult
            {
                Outcome = Storage.RunOutcomes.Failed,
                ErrorKind = ErrorKinds.HttpStatus,
                ErrorMessage = FailureMessages.HttpStatus(job, status),
                StatusCode = status,
                Duration = Elapsed(started),
            };
        }

        if (await ReportBody.ReadCappedAsync(response.Content, cancellationToken) is not { } body)
        {
            return new AttemptResult
            {
                Outcome = Storage.RunOutcomes.Failed,
                ErrorKind = ErrorKinds.Unexpected,
                ErrorMessage = FailureMessages.AnswerTooLarge(job, ReportBody.MaxBytes),
                StatusCode = status,
                Duration = Elapsed(started),
            };
        }

        var partial = ReportBody.TryReadPartial(body);
        return new AttemptResult
        {
            Outcome = partial is null ? Storage.RunOutcomes.Succeeded : Storage.RunOutcomes.Partial,
            ErrorMessage = partial is null ? null : FailureMessages.Partial(job, partial),
            StatusCode = status,
            Duration = Elapsed(started),
            Partial = partial,
        };
    }

    /// <summary>Turns what an attempt throws into its failure: timeout, credential unavailable, connection failed, anything else.</summary>
    private async ValueTask<AttemptResult> ClassifyFailuresAsync(
        JobDefinition job, long started, CancellationTokenSource timeout, CancellationToken cancellationToken, Func<ValueTask<AttemptResult>> attempt)
    {
        try
        {
            return await attempt();
        }
        catch (OperationCanceledException e) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return Failure(job, ErrorKinds.Timeout, FailureMessages.Timeout(job), new TimeoutException(FailureMessages.Timeout(job), e), started);
        }
        catch (CredentialUnavailableException e)
        {
            return Failure(job, ErrorKinds.SecretsUnavailable, FailureMessages.SecretsUnavailable(job, e.SecretName, e.Message), e, started);
        }
        catch (HttpRequestException e) when (IsConnectionFailure(e))
        {
            return Failure(job, ErrorKinds.ConnectionFailed, FailureMessages.ConnectionFailed(job), e, started);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return Failure(job, ErrorKinds.Unexpected, FailureMessages.Unexpected(job, e), e, started);
        }
    }

    private AttemptResult CircuitOpen(JobDefinition job, string host, DateTimeOffset openUntil, long started)
    {
        var message = FailureMessages.CircuitOpen(job, host, openUntil);
        return Failure(job, ErrorKinds.ConnectionFailed, message, new HttpRequestException(HttpRequestError.ConnectionError, message), started);
    }

    private AttemptResult Failure(JobDefinition job, string kind, string message, Exception exception, long started) => new()
    {
        Outcome = Storage.RunOutcomes.Failed,
        ErrorKind = kind,
        ErrorMessage = message,
        Exception = exception,
        Duration = Elapsed(started),
    };

    private TimeSpan Elapsed(long started) => timeProvider.GetElapsedTime(started);

    /// <summary>Refused, reset, or closed before the response: the API (or the path to it) is down.</summary>
    private static bool IsConnectionFailure(HttpRequestException exception)
    {
        if (exception.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.ResponseEnded
            or HttpRequestError.NameResolutionError or HttpRequestError.SecureConnectionError or HttpRequestError.ProxyTunnelError)
        {
            return true;
        }

        for (Exception? inner = exception.InnerException; inner is not null; inner = inner.InnerException)
        {
            if (inner is SocketException or IOException)
            {
                return true;
            }
        }

        return false;
    }
}
