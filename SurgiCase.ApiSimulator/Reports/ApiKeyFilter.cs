using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace SurgiCase.ApiSimulator.Reports;

/// <summary>
/// When <c>Simulator:RequiredApiKey</c> is set, report calls must carry it in <c>X-Api-Key</c> — as the real
/// API demands the key held in the <c>surgicase/api</c> secret.
/// </summary>
internal sealed class ApiKeyFilter(IOptionsMonitor<SimulatorOptions> options) : IEndpointFilter
{
    public const string HeaderName = "X-Api-Key";

    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var required = options.CurrentValue.RequiredApiKey;
        if (string.IsNullOrEmpty(required))
        {
            return next(context);
        }

        var presented = context.HttpContext.Request.Headers[HeaderName].ToString();
        if (CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), Encoding.UTF8.GetBytes(required)))
        {
            return next(context);
        }

        return ValueTask.FromResult<object?>(Results.Problem(
            title: "Authentication required",
            detail: $"Send the SurgiCase API key in the {HeaderName} header.",
            statusCode: StatusCodes.Status401Unauthorized));
    }
}
