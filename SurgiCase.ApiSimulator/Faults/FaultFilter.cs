namespace SurgiCase.ApiSimulator.Faults;

/// <summary>
/// Applies the current fault to a report call before its handler runs, so every report route can be
/// made to fail the way the real SurgiCase API fails: an error status, a slow answer, a dropped
/// connection or a partial result.
/// </summary>
internal sealed class FaultFilter(FaultState state, TimeProvider timeProvider, IHostApplicationLifetime lifetime, ILogger<FaultFilter> logger)
    : IEndpointFilter
{
    /// <summary>Set in <see cref="HttpContext.Items"/> when the work is meant to outlive its client (<see cref="FaultSettings.ContinueAfterDisconnect"/>).</summary>
    public const string WorkOutlivesClient = "surgicase.work-outlives-client";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var fault = state.TakeFor(http.Request.Path);
        if (fault is null)
        {
            return await next(context);
        }

        FaultLog.ApplyingFault(logger, fault.Mode, http.Request.Path);
        switch (fault.Mode)
        {
            case FaultModes.Error:
                var status = fault.Status ?? StatusCodes.Status500InternalServerError;
                return Results.Problem(
                    title: "Simulated failure",
                    detail: $"The API simulator was told to answer {status}.",
                    statusCode: status);

            case FaultModes.Slow:
                var delay = TimeSpan.FromSeconds(fault.DelaySeconds ?? 0);
                if (fault.ContinueAfterDisconnect == true)
                {
                    // A real API's worker does not notice its caller leaving: only the simulator stopping ends the work.
                    http.Items[WorkOutlivesClient] = true;
                    using var gone = http.RequestAborted.Register(() => FaultLog.ClientGoneWorkContinues(logger, http.Request.Path));
                    await Task.Delay(delay, timeProvider, lifetime.ApplicationStopping);
                    return await next(context);
                }

                await Task.Delay(delay, timeProvider, http.RequestAborted);
                return await next(context);

            case FaultModes.Reset:
                // Drops the connection without a response, as a crashed API process or a proxy reset would.
                http.Abort();
                return Results.Empty;

            case FaultModes.Partial:
                return Results.Ok(PartialAnswer.Create(fault, http.Request.Path.Value ?? "", timeProvider.GetUtcNow()));

            default:
                return await next(context);
        }
    }
}
