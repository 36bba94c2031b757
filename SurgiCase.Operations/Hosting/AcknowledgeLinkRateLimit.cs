using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace SurgiCase.Operations.Hosting;

/// <summary>
/// Issue 18.6: slows down guessing acknowledge tokens and keeps a link-fetching scanner from hammering NotificationService.
/// A fixed window of <see cref="OperationsOptions.AcknowledgeLinkRequestsPerMinute"/> requests to <c>/ack/{token}</c> (GET
/// and POST) per client IP address per minute; beyond it 429 problem details with <c>Retry-After</c>. Its own rejection
/// answer, so the sign-in limit's wording stays the sign-in's.
/// </summary>
internal sealed partial class AcknowledgeLinkRateLimit(IOptions<OperationsOptions> options) : IRateLimiterPolicy<string>
{
    public const string PolicyName = "acknowledge-link";

    public static void Add(IServiceCollection services) =>
        services.Configure<RateLimiterOptions>(limiter => limiter.AddPolicy<string, AcknowledgeLinkRateLimit>(PolicyName));

    public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected => RejectAsync;

    public RateLimitPartition<string> GetPartition(HttpContext httpContext)
    {
        var perMinute = options.Value.AcknowledgeLinkRequestsPerMinute;
        return RateLimitPartition.GetFixedWindowLimiter(
            httpContext.Connection.RemoteIpAddress?.ToString() ?? "unknown",
            _ => new FixedWindowRateLimiterOptions { PermitLimit = perMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 });
    }

    private static async ValueTask RejectAsync(OnRejectedContext context, CancellationToken cancellationToken)
    {
        var http = context.HttpContext;
        http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
        {
            http.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }

        // The path holds the token: logged without it.
        Rejected(http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(AcknowledgeLinkRateLimit).FullName!),
            http.Request.Method, http.Connection.RemoteIpAddress?.ToString());
        await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails =
            {
                Status = StatusCodes.Status429TooManyRequests,
                Title = "Too many requests",
                Detail = "Too many acknowledge links were opened from your address. Wait a minute and try again.",
            },
        });
    }

    [LoggerMessage(EventId = 130, Level = LogLevel.Warning, Message = "Rejected acknowledge link {Method} from {RemoteIp}: too many requests")]
    private static partial void Rejected(ILogger logger, string method, string? remoteIp);
}
