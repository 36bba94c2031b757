namespace SurgiCase.Deploy;

/// <summary>How people sign in to the operations page.</summary>
internal enum SignInKind
{
    /// <summary>The default: the stack creates a Cognito user pool with the groups <c>viewer</c> and <c>operator</c>.</summary>
    Cognito,

    /// <summary>Your own OpenID Connect issuer (Entra ID, Okta, Google Workspace, …), named by the <c>oidc*</c> keys.</summary>
    ExternalIssuer,

    /// <summary>No OpenID Connect: the operator key's break-glass sign-in only. Allowed with an internal load balancer only.</summary>
    OperatorKey,
}

/// <summary>An external OpenID Connect issuer: what the operations page needs to sign people in with it.</summary>
internal sealed record ExternalIssuer(
    Uri Authority,
    string ClientId,
    string ClientSecretArn,
    string RoleClaim,
    string? Scopes,
    string? NameClaim,
    string? OperatorValues,
    string? ViewerValues);

/// <summary>
/// The operations page's sign-in and what the load balancer lets through, from CDK context: <c>signIn</c>
/// (<c>cognito</c>, <c>oidc</c>, <c>operator-key</c>), the <c>oidc*</c> keys of an external issuer,
/// <c>cognitoDomainPrefix</c> and <c>exposeSchedulerApi</c>. An internet-facing load balancer requires OpenID Connect.
/// </summary>
internal sealed record SignInSettings
{
    public const string CognitoRoleClaim = "cognito:groups";

    /// <summary>The default role claim of an external issuer (Entra ID, Okta and Google put groups there).</summary>
    public const string DefaultExternalRoleClaim = "groups";

    public required SignInKind Kind { get; init; }

    /// <summary>Set when <see cref="Kind"/> is <see cref="SignInKind.ExternalIssuer"/>.</summary>
    public ExternalIssuer? External { get; init; }

    /// <summary>The Cognito hosted sign-in domain's prefix; null: <c>surgicase-&lt;environment&gt;-&lt;account id&gt;</c>.</summary>
    public string? CognitoDomainPrefix { get; init; }

    /// <summary>Whether the public listener forwards the scheduler's JSON API too (off: the page's paths only).</summary>
    public required bool ExposeSchedulerApi { get; init; }

    private static readonly string[] ExternalKeys =
        ["oidcAuthority", "oidcClientId", "oidcClientSecretArn", "oidcRoleClaim", "oidcScopes", "oidcNameClaim", "oidcOperatorValues", "oidcViewerValues"];

    public static SignInSettings FromContext(ContextReader context, bool internetFacing)
    {
        var anyExternal = ExternalKeys.Any(key => context.Optional(key) is not null);
        var kind = (context.Optional("signIn") ?? (anyExternal ? "oidc" : "cognito")) switch
        {
            "cognito" => SignInKind.Cognito,
            "oidc" => SignInKind.ExternalIssuer,
            "operator-key" => SignInKind.OperatorKey,
            var other => throw new ContextException("signIn", $"'{other}' must be 'cognito', 'oidc' or 'operator-key'"),
        };
        if (kind != SignInKind.ExternalIssuer && anyExternal)
        {
            throw new ContextException("signIn", $"is '{context.Optional("signIn")}', but the oidc* keys name an external issuer: pass -c signIn=oidc or drop them");
        }

        if (kind == SignInKind.OperatorKey && internetFacing)
        {
            throw new ContextException("albScheme",
                "'internet-facing' needs OpenID Connect sign-in in front of the page: keep signIn=cognito (the default), name an external issuer (oidcAuthority, …), or pass -c albScheme=internal with signIn=operator-key");
        }

        var prefix = context.Optional("cognitoDomainPrefix");
        if (prefix is not null && !System.Text.RegularExpressions.Regex.IsMatch(prefix, "^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$"))
        {
            throw new ContextException("cognitoDomainPrefix", $"'{prefix}' must be lower-case letters, digits and '-' (at most 63)");
        }

        return new SignInSettings
        {
            Kind = kind,
            External = kind == SignInKind.ExternalIssuer ? ReadExternal(context) : null,
            CognitoDomainPrefix = prefix,
            ExposeSchedulerApi = context.Bool("exposeSchedulerApi", false),
        };
    }

    private static ExternalIssuer ReadExternal(ContextReader context)
    {
        var authority = context.AbsoluteUri("oidcAuthority") ?? throw new ContextException("oidcAuthority", "is required with signIn=oidc");
        if (authority.Scheme != Uri.UriSchemeHttps)
        {
            throw new ContextException("oidcAuthority", $"'{authority}' must be https");
        }

        var secretArn = context.Required("oidcClientSecretArn");
        if (!System.Text.RegularExpressions.Regex.IsMatch(secretArn, "^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:.+$"))
        {
            throw new ContextException("oidcClientSecretArn", $"'{secretArn}' must be the ARN of a Secrets Manager secret (arn:aws:secretsmanager:…:secret:…)");
        }

        return new ExternalIssuer(
            authority,
            context.Required("oidcClientId"),
            secretArn,
            context.Optional("oidcRoleClaim") ?? DefaultExternalRoleClaim,
            context.Optional("oidcScopes"),
            context.Optional("oidcNameClaim"),
            context.Optional("oidcOperatorValues"),
            context.Optional("oidcViewerValues"));
    }
}
