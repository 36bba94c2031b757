using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace SurgiCase.Operations;

/// <summary>
/// Bound from <c>Operations:Oidc</c>: single sign-on with any standard OpenID provider (authorization code with PKCE).
/// An empty <see cref="Authority"/> switches it off.
/// </summary>
public sealed class OperationsOidcOptions
{
    public const string SectionName = "Operations:Oidc";

    /// <summary>The issuer URL (discovery at <c>{Authority}/.well-known/openid-configuration</c>). Empty: no single sign-on.</summary>
    public string? Authority { get; set; }

    public string? ClientId { get; set; }

    /// <summary>In AWS an environment variable from Secrets Manager. Never logged or rendered.</summary>
    public string? ClientSecret { get; set; }

    /// <summary>Space separated.</summary>
    public string Scopes { get; set; } = "openid profile email";

    /// <summary>The claim carrying roles or groups: <c>roles</c> (Entra ID), <c>cognito:groups</c> (Cognito), <c>groups</c> (Okta).</summary>
    public string RoleClaim { get; set; } = "roles";

    /// <summary>Comma separated values of <see cref="RoleClaim"/> that make a person an operator.</summary>
    public string OperatorValues { get; set; } = "operator";

    /// <summary>Comma separated values of <see cref="RoleClaim"/> that make a person a viewer.</summary>
    public string ViewerValues { get; set; } = "viewer";

    /// <summary>The display name's claim; when absent: <c>preferred_username</c>, <c>email</c>, then the subject.</summary>
    public string NameClaim { get; set; } = "name";

    /// <summary>Null: required outside Development.</summary>
    public bool? RequireHttpsMetadata { get; set; }

    public bool Enabled => !string.IsNullOrWhiteSpace(Authority);

    internal static IReadOnlyList<string> Split(string values, params char[] separators) =>
        values.Split(separators, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

/// <summary>
/// The sign-in methods as a whole, checked at start: outside Development the authority must be https, a client id must
/// come with it, and there must be a way to sign in at all. Each message names its key.
/// </summary>
internal sealed class SignInOptionsValidator(IHostEnvironment environment, IOptions<OperationsOidcOptions> oidc) : IValidateOptions<OperationsOptions>
{
    public ValidateOptionsResult Validate(string? name, OperationsOptions options)
    {
        var failures = Failures(oidc.Value, options, environment.IsDevelopment()).ToList();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    internal static IEnumerable<string> Failures(OperationsOidcOptions oidc, OperationsOptions options, bool development)
    {
        if (oidc.Enabled)
        {
            if (!Uri.TryCreate(oidc.Authority, UriKind.Absolute, out var authority))
            {
                yield return "Operations:Oidc:Authority must be an absolute URL (the issuer), or empty to switch single sign-on off.";
            }
            else if (!development && authority.Scheme != Uri.UriSchemeHttps)
            {
                yield return "Operations:Oidc:Authority must be https outside Development.";
            }

            if (string.IsNullOrWhiteSpace(oidc.ClientId))
            {
                yield return "Operations:Oidc:ClientId is required when Operations:Oidc:Authority is set.";
            }

            if (string.IsNullOrWhiteSpace(oidc.RoleClaim))
            {
                yield return "Operations:Oidc:RoleClaim must name the claim carrying roles or groups.";
            }

            if (OperationsOidcOptions.Split(oidc.OperatorValues, ',').Count == 0 && OperationsOidcOptions.Split(oidc.ViewerValues, ',').Count == 0)
            {
                yield return "Operations:Oidc:OperatorValues and Operations:Oidc:ViewerValues are both empty: nobody could use the page.";
            }
        }
        else if (!development && !options.KeyBreakGlass(development))
        {
            yield return "No sign-in method for the operations page: set Operations:Oidc:Authority (single sign-on), or Operations:BreakGlassKeySignIn=true for the operator key in an emergency.";
        }
    }
}
