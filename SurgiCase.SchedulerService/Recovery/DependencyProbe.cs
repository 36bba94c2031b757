using Microsoft.Extensions.Options;
using SurgiCase.Messaging.Contracts;
using SurgiCase.SchedulerService.Execution;
using SurgiCase.SchedulerService.Jobs;
using SurgiCase.SchedulerService.Storage;

namespace SurgiCase.SchedulerService.Recovery;

/// <summary>
/// Asks a failed job's dependency, cheaply and without producing a report, whether it answers again: the API key lookup
/// through the SecretsService for <c>SecretsUnavailable</c>, else an anonymous <c>GET</c> of the target's health path
/// (redirects off, no API key). While the job host's circuit breaker is open the probe waits for its half-open time.
/// </summary>
internal sealed class DependencyProbe(
    IHttpClientFactory httpClientFactory,
    IApiCredentialProvider credentials,
    HttpJobExecutor executor,
    RecoveryPlanner planner,
    HostCircuitBreaker breaker,
    IOptions<SchedulerOptions> options,
    TimeProvider timeProvider)
{
    public const string HttpClientName = "surgicase-recovery-probe";

    public async Task<ProbeResult> ProbeAsync(JobDefinition job, PendingRecovery recovery, CancellationToken cancellationToken)
    {
        var url = executor.ResolveUrl(job);
        if (breaker.OpenUntil(url.Authority) is { } openUntil && timeProvider.GetUtcNow() < openUntil)
        {
            return new ProbeResult(false, $"the circuit breaker for {url.Authority} is open until {openUntil:O}");
        }

        var limit = options.Value.Recovery.ProbeTimeout;
        using var timeout = new CancellationTokenSource(limit, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            if (recovery.ErrorKind == ErrorKinds.SecretsUnavailable)
            {
                await credentials.GetAsync(job, linked.Token);
                return new ProbeResult(true, "the API key could be read");
            }

            using var request = new HttpRequestMessage(HttpMethod.Get, planner.HealthUrlFor(url));
            using var response = await httpClientFactory.CreateClient(HttpClientName)
                .SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token);
            var status = (int)response.StatusCode;
            return new ProbeResult(response.IsSuccessStatusCode, $"{request.RequestUri!.GetLeftPart(UriPartial.Path)} answered {status}");
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return new ProbeResult(false, $"no answer within {limit}");
        }
        catch (CredentialUnavailableException e)
        {
            // Its message names the secret and the SecretsService's status, never a value.
            return new ProbeResult(false, e.Message);
        }
        catch (HttpRequestException e)
        {
            return new ProbeResult(false, e.HttpRequestError.ToString());
        }
    }
}

/// <param name="Up">Whether the dependency answered.</param>
/// <param name="Detail">What it answered, or why it did not, for the log.</param>
internal sealed record ProbeResult(bool Up, string Detail);
