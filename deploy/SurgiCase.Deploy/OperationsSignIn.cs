using Amazon.CDK;
using Amazon.CDK.AWS.Cognito;
using Amazon.CDK.AWS.SecretsManager;
using Constructs;
using EcsSecret = Amazon.CDK.AWS.ECS.Secret;

namespace SurgiCase.Deploy;

/// <summary>
/// The operations page's OpenID Connect sign-in (issue 18.3). By default a Cognito user pool: a hosted sign-in domain,
/// the groups <c>viewer</c> and <c>operator</c>, MFA required (TOTP), the Plus plan with threat protection enforced, no
/// self sign-up (an administrator creates each person), and one app client for the page (authorization code, client
/// secret, callback <c>https://&lt;page host&gt;/signin-oidc</c>; the page sends PKCE). The client secret is copied into
/// Secrets Manager, from where ECS injects it. With <c>signIn=oidc</c> the page uses your issuer instead and no pool
/// exists; with <c>signIn=operator-key</c> (internal load balancer only) the page keeps the break-glass key sign-in.
/// </summary>
internal sealed class OperationsSignIn : Construct
{
    /// <summary>The OpenID Connect handler's default callback paths, which the page keeps.</summary>
    public const string CallbackPath = "/signin-oidc";

    public const string SignedOutCallbackPath = "/signout-callback-oidc";

    public const string OperatorGroup = "operator";

    public const string ViewerGroup = "viewer";

    /// <summary>The scopes the page asks for: openid, and profile and email for the person's name.</summary>
    public const string CognitoScopes = "openid profile email";

    /// <summary>Cognito's ID token carries the <c>name</c> attribute (required in the pool) with the profile scope.</summary>
    public const string CognitoNameClaim = "name";

    public OperationsSignIn(Construct scope, string id, DeploymentSettings settings, string pageUrl) : base(scope, id)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        var secrets = new Dictionary<string, EcsSecret>(StringComparer.Ordinal);
        switch (settings.SignIn.Kind)
        {
            case SignInKind.Cognito:
                CreateUserPool(settings, pageUrl, environment, secrets);
                break;
            case SignInKind.ExternalIssuer:
                var issuer = settings.SignIn.External!;
                environment["Operations__Oidc__Authority"] = issuer.Authority.ToString();
                environment["Operations__Oidc__ClientId"] = issuer.ClientId;
                environment["Operations__Oidc__RoleClaim"] = issuer.RoleClaim;
                AddIfSet(environment, "Operations__Oidc__Scopes", issuer.Scopes);
                AddIfSet(environment, "Operations__Oidc__NameClaim", issuer.NameClaim);
                AddIfSet(environment, "Operations__Oidc__OperatorValues", issuer.OperatorValues);
                AddIfSet(environment, "Operations__Oidc__ViewerValues", issuer.ViewerValues);
                var external = issuer.ClientSecretArn.Length > 7 && System.Text.RegularExpressions.Regex.IsMatch(issuer.ClientSecretArn, "-[A-Za-z0-9]{6}$")
                    ? Secret.FromSecretCompleteArn(this, "ExternalClientSecret", issuer.ClientSecretArn)
                    : Secret.FromSecretPartialArn(this, "ExternalClientSecret", issuer.ClientSecretArn);
                secrets["Operations__Oidc__ClientSecret"] = EcsSecret.FromSecretsManager(external);
                break;
        }

        // The operator key's sign-in on the page is break-glass only: on only where there is no OpenID Connect.
        environment["Operations__BreakGlassKeySignIn"] = settings.SignIn.Kind == SignInKind.OperatorKey ? "true" : "false";
        Environment = environment;
        Secrets = secrets;
    }

    /// <summary>The scheduler's plain configuration for the sign-in (<c>Operations__Oidc__*</c>).</summary>
    public IReadOnlyDictionary<string, string> Environment { get; }

    /// <summary>The client secret, as an ECS secret (<c>Operations__Oidc__ClientSecret</c>), when there is one.</summary>
    public IReadOnlyDictionary<string, EcsSecret> Secrets { get; }

    /// <summary>The Cognito user pool; null with an external issuer or the operator key.</summary>
    public UserPool? UserPool { get; private set; }

    public UserPoolClient? Client { get; private set; }

    public UserPoolDomain? Domain { get; private set; }

    /// <summary>The Cognito client secret's copy in Secrets Manager.</summary>
    public Secret? ClientSecret { get; private set; }

    private void CreateUserPool(DeploymentSettings settings, string pageUrl, Dictionary<string, string> environment, Dictionary<string, EcsSecret> secrets)
    {
        var pool = UserPool = new UserPool(this, "UserPool", new UserPoolProps
        {
            UserPoolName = $"{Names.Prefix(settings.EnvironmentName)}-operators",
            SelfSignUpEnabled = false,
            SignInAliases = new SignInAliases { Username = true, Email = true },
            SignInCaseSensitive = false,
            AutoVerify = new AutoVerifiedAttrs { Email = true },
            StandardAttributes = new StandardAttributes
            {
                Email = new StandardAttribute { Required = true, Mutable = true },
                Fullname = new StandardAttribute { Required = true, Mutable = true },
            },
            Mfa = Mfa.REQUIRED,
            MfaSecondFactor = new MfaSecondFactor { Otp = true, Sms = false },
            PasswordPolicy = new PasswordPolicy
            {
                MinLength = 14,
                RequireDigits = true,
                RequireLowercase = true,
                RequireUppercase = true,
                RequireSymbols = true,
                TempPasswordValidity = Duration.Days(3),
            },
            AccountRecovery = AccountRecovery.EMAIL_ONLY,
            AdvancedSecurityMode = AdvancedSecurityMode.ENFORCED,
            // The people and their MFA devices are kept when the stack is deleted, not when a failed first create
            // rolls back (no deletion protection: it would turn that rollback into ROLLBACK_FAILED).
            RemovalPolicy = RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
        });
        // Threat protection (AdvancedSecurityMode) needs the Plus feature plan; CDK 2.160 has no property for it yet.
        ((CfnUserPool)pool.Node.DefaultChild!).AddPropertyOverride("UserPoolTier", "PLUS");

        foreach (var (group, description) in new[]
        {
            (ViewerGroup, "Reads the operations page and the run history."),
            (OperatorGroup, "Runs jobs now, pauses and resumes them, acknowledges alerts and sends the test alert."),
        })
        {
            _ = new CfnUserPoolGroup(this, char.ToUpperInvariant(group[0]) + group[1..] + "Group", new CfnUserPoolGroupProps
            {
                UserPoolId = pool.UserPoolId,
                GroupName = group,
                Description = description,
            });
        }

        Domain = pool.AddDomain("Domain", new UserPoolDomainOptions
        {
            CognitoDomain = new CognitoDomainOptions
            {
                // Globally unique per region: the environment and the account id.
                DomainPrefix = settings.SignIn.CognitoDomainPrefix ?? $"{Names.Prefix(settings.EnvironmentName)}-{Aws.ACCOUNT_ID}",
            },
        });

        Client = pool.AddClient("OperationsPage", new UserPoolClientOptions
        {
            UserPoolClientName = "operations-page",
            GenerateSecret = true,
            AuthFlows = new AuthFlow { UserSrp = true },
            OAuth = new OAuthSettings
            {
                Flows = new OAuthFlows { AuthorizationCodeGrant = true },
                Scopes = [OAuthScope.OPENID, OAuthScope.PROFILE, OAuthScope.EMAIL],
                CallbackUrls = [pageUrl.TrimEnd('/') + CallbackPath],
                LogoutUrls = [pageUrl.TrimEnd('/') + SignedOutCallbackPath, pageUrl],
            },
            SupportedIdentityProviders = [UserPoolClientIdentityProvider.COGNITO],
            PreventUserExistenceErrors = true,
            EnableTokenRevocation = true,
            IdTokenValidity = Duration.Minutes(60),
            AccessTokenValidity = Duration.Minutes(60),
            RefreshTokenValidity = Duration.Hours(8),
        });

        // The client secret exists only once Cognito made the client; CloudFormation hands it over as an attribute
        // (no custom resource), into a secret that ECS injects. The template holds the reference, never the value.
        ClientSecret = new Secret(this, "ClientSecret", new SecretProps
        {
            SecretName = ApplicationSecrets.InternalPrefix(settings.EnvironmentName) + "operations-oidc-client-secret",
            Description = "The operations page's Cognito app client secret (copied from the client; replaced with it).",
            SecretStringValue = SecretValue.ResourceAttribute(((CfnUserPoolClient)Client.Node.DefaultChild!).AttrClientSecret),
        });
        Nag.Suppress(ClientSecret, "AwsSolutions-SMG4",
            "A copy of the Cognito app client's secret, which Cognito owns: it changes only when the client is replaced (a deploy), which rewrites this secret; a rotation Lambda could not change Cognito's side.");

        environment["Operations__Oidc__Authority"] = $"https://cognito-idp.{Stack.Of(this).Region}.amazonaws.com/{pool.UserPoolId}";
        environment["Operations__Oidc__ClientId"] = Client.UserPoolClientId;
        environment["Operations__Oidc__RoleClaim"] = SignInSettings.CognitoRoleClaim;
        environment["Operations__Oidc__Scopes"] = CognitoScopes;
        environment["Operations__Oidc__NameClaim"] = CognitoNameClaim;
        environment["Operations__Oidc__OperatorValues"] = OperatorGroup;
        environment["Operations__Oidc__ViewerValues"] = ViewerGroup;
        secrets["Operations__Oidc__ClientSecret"] = EcsSecret.FromSecretsManager(ClientSecret);

        _ = new CfnOutput(this, "SignInDomain", new CfnOutputProps { Value = Domain.BaseUrl() });
        _ = new CfnOutput(this, "UserPoolId", new CfnOutputProps { Value = pool.UserPoolId });
    }

    private static void AddIfSet(Dictionary<string, string> environment, string key, string? value)
    {
        if (value is not null)
        {
            environment[key] = value;
        }
    }
}
