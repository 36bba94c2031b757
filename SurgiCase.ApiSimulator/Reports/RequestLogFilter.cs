namespace SurgiCase.ApiSimulator.Reports;

/// <summary>Records every report call in the <see cref="RequestLog"/>, before the key check and the faults.</summary>
internal sealed class RequestLogFilter(RequestLog log, TimeProvider timeProvider) : IEndpointFilter
{
    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var request = context.HttpContext.Request;
        log.Add(new ReceivedRequest(
            request.Method,
            request.Path.Value ?? "",
            !string.IsNullOrEmpty(request.Headers[ApiKeyFilter.HeaderName].ToString()),
            timeProvider.GetUtcNow(),
            request.Headers[IdempotencyFilter.HeaderName].ToString() is { Length: > 0 and <= IdempotencyFilter.MaxKeyLength } key ? key : null));
        return next(context);
    }
}
