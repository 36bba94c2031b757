namespace SurgiCase.ApiSimulator.Reports;

/// <summary>
/// Honours <c>Idempotency-Key</c> on report calls: a repeat of a key whose request succeeded gets that first result back
/// (header <c>Idempotent-Replayed: true</c>) without the report being produced again, ahead of any fault; a repeat while
/// the first still runs is a 409 (also after its client gave up, while work that outlives it goes on), the same key on another route a 422. A call without a key is run as it comes.
/// </summary>
internal sealed class IdempotencyFilter(IdempotencyStore store) : IEndpointFilter
{
    public const string HeaderName = "Idempotency-Key";
    public const string ReplayedHeader = "Idempotent-Replayed";
    public const int MaxKeyLength = 255;

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var key = http.Request.Headers[HeaderName].ToString();
        if (key.Length == 0)
        {
            return await next(context);
        }

        if (key.Length > MaxKeyLength)
        {
            return Results.Problem(title: "Invalid Idempotency-Key", detail: $"An {HeaderName} has at most {MaxKeyLength} characters.",
                statusCode: StatusCodes.Status400BadRequest);
        }

        var claim = store.TryClaim(key, http.Request.Path.Value ?? "");
        switch (claim.Status)
        {
            case ClaimStatus.Completed:
                http.Response.Headers[ReplayedHeader] = "true";
                return claim.Result;
            case ClaimStatus.InProgress:
                return Results.Problem(title: "Request in progress", detail: $"A request with this {HeaderName} is still being processed.",
                    statusCode: StatusCodes.Status409Conflict);
            case ClaimStatus.OtherRequest:
                return Results.Problem(title: "Idempotency-Key reused", detail: $"This {HeaderName} was used for another request.",
                    statusCode: StatusCodes.Status422UnprocessableEntity);
        }

        var succeeded = false;
        object? result = null;
        try
        {
            result = await next(context);
            // Work that outlives its client (slow mode's continueAfterDisconnect) is done even though nobody heard the answer:
            // its result is kept, so the timed-out caller's retry gets it instead of having the report made twice.
            var workDone = !http.RequestAborted.IsCancellationRequested || http.Items.ContainsKey(Faults.FaultFilter.WorkOutlivesClient);
            succeeded = workDone && result is IStatusCodeHttpResult { StatusCode: >= 200 and < 300 };
            return result;
        }
        finally
        {
            store.Complete(key, result, succeeded);
        }
    }
}
