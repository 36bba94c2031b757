using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using SurgiCase.Operations.Components;

namespace SurgiCase.Operations.Hosting;

/// <summary>What every page handler needs besides its data: the request, its antiforgery token, the options and the clock.</summary>
internal readonly record struct PageRequest(HttpContext Http, IAntiforgery Antiforgery, IOptions<OperationsOptions> Options, TimeProvider Time)
{
    private const string PageSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-src 'self'; connect-src 'self'; " +
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

    public OperationsOptions Settings => Options.Value;

    public PageContext Context(string? notice = null)
    {
        var tokens = Antiforgery.GetAndStoreTokens(Http);
        var field = tokens.RequestToken is { } token ? new AntiforgeryField(tokens.FormFieldName, token) : null;
        var user = Http.User.Identity?.IsAuthenticated == true ? Http.User.Identity.Name : null;
        return new PageContext(Time.GetUtcNow(), field, user, Settings, notice, Http.User.IsInRole(OperationsRoles.Operator));
    }

    /// <summary>
    /// The component rendered once on the server (static SSR: no circuit, no websocket), under a strict CSP that allows
    /// this site's own stylesheet and script only, never framed, never cached.
    /// </summary>
    public RazorComponentResult Render<TComponent>(IReadOnlyDictionary<string, object?> parameters, int statusCode = StatusCodes.Status200OK)
        where TComponent : IComponent
    {
        var headers = Http.Response.Headers;
        headers.ContentSecurityPolicy = PageSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers.CacheControl = "no-store";
        headers["Referrer-Policy"] = "no-referrer";
        return new RazorComponentResult<TComponent>(parameters) { StatusCode = statusCode };
    }

    /// <summary>Null when the form carries a valid antiforgery token; else the 400 to answer.</summary>
    /// <param name="loggedPath">The path to log instead of the request's, when the path holds a token.</param>
    public async Task<ProblemHttpResult?> RejectWithoutAntiforgeryAsync(ILogger logger, string? loggedPath = null)
    {
        try
        {
            await Antiforgery.ValidateRequestAsync(Http);
            return null;
        }
        catch (AntiforgeryValidationException)
        {
            OperationsLog.AntiforgeryRejected(logger, Http.Request.Method, loggedPath ?? Http.Request.Path);
            return TypedResults.Problem(title: "Invalid antiforgery token",
                detail: "The form was not sent by this page (or has expired). Reload the page and try again.", statusCode: StatusCodes.Status400BadRequest);
        }
    }
}
