namespace SurgiCase.Deploy.Tests;

/// <summary>
/// Issue 18.3: by default a Cognito user pool signs people in to the operations page (groups viewer and operator, MFA,
/// the page's app client, its secret injected from Secrets Manager); context keys switch to an external issuer, and
/// then no pool exists. The scheduler is told which, through the Operations:Oidc keys.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class SignInTests
{
    private static readonly TemplateJson Json = SynthesizedStack.Default.Json;

    private const string ExternalSecretArn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:okta/surgicase-ops-AbCdEf";

    [Fact]
    public void The_default_user_pool_admits_only_people_an_administrator_created_with_mfa_and_threat_protection()
    {
        var (poolId, resource) = Assert.Single(Json.Resources("AWS::Cognito::UserPool"));
        var pool = resource["Properties"]!;

        Assert.Equal("surgicase-production-operators", (string?)pool["UserPoolName"]);
        Assert.True((bool)pool["AdminCreateUserConfig"]!["AllowAdminCreateUserOnly"]!);
        Assert.Equal("ON", (string?)pool["MfaConfiguration"]);
        Assert.Equal(["SOFTWARE_TOKEN_MFA"], pool["EnabledMfas"]!.AsArray().Select(m => (string?)m));
        Assert.Equal("PLUS", (string?)pool["UserPoolTier"]);
        Assert.Equal("ENFORCED", (string?)pool["UserPoolAddOns"]!["AdvancedSecurityMode"]);
        var password = pool["Policies"]!["PasswordPolicy"]!;
        Assert.True((int)password["MinimumLength"]! >= 12);
        Assert.All(new[] { "RequireLowercase", "RequireUppercase", "RequireNumbers", "RequireSymbols" }, k => Assert.True((bool)password[k]!));
        // The display name the page records comes from the required name attribute.
        Assert.Contains(pool["Schema"]!.AsArray(), a => (string?)a!["Name"] == "name" && (bool)a["Required"]!);
        Assert.Equal("RetainExceptOnCreate", (string?)resource["DeletionPolicy"]);

        var groups = Json.Resources("AWS::Cognito::UserPoolGroup").Select(g => g.Resource["Properties"]!).ToList();
        Assert.Equal(["operator", "viewer"], groups.Select(g => (string?)g["GroupName"]).Order());
        Assert.All(groups, g => Assert.Equal(poolId, (string?)g["UserPoolId"]!["Ref"]));

        var domain = TemplateJson.Canonical(Assert.Single(Json.Resources("AWS::Cognito::UserPoolDomain")).Resource["Properties"]!["Domain"]);
        Assert.Contains("surgicase-production-", domain, StringComparison.Ordinal);
        Assert.Contains("AWS::AccountId", domain, StringComparison.Ordinal);
    }

    [Fact]
    public void The_page_client_uses_the_code_flow_with_a_secret_and_calls_back_to_the_page_host()
    {
        var client = Assert.Single(Json.Resources("AWS::Cognito::UserPoolClient")).Resource["Properties"]!;

        Assert.True((bool)client["GenerateSecret"]!);
        Assert.Equal(["code"], client["AllowedOAuthFlows"]!.AsArray().Select(f => (string?)f));
        Assert.Equal(["email", "openid", "profile"], client["AllowedOAuthScopes"]!.AsArray().Select(f => (string?)f).Order());
        Assert.Equal(["COGNITO"], client["SupportedIdentityProviders"]!.AsArray().Select(f => (string?)f));
        // No host name given: the load balancer's own DNS name, over https.
        var callback = TemplateJson.Canonical(Assert.Single(client["CallbackURLs"]!.AsArray()));
        Assert.Contains("\"https://\"", callback, StringComparison.Ordinal);
        Assert.Contains("DNSName", callback, StringComparison.Ordinal);
        Assert.EndsWith("\"/signin-oidc\"]]}", callback, StringComparison.Ordinal);
        Assert.Contains(client["LogoutURLs"]!.AsArray(), u => TemplateJson.Canonical(u).Contains("/signout-callback-oidc", StringComparison.Ordinal));

        var named = Assert.Single(SynthesizedStack.InternalWithApi.Json.Resources("AWS::Cognito::UserPoolClient")).Resource["Properties"]!;
        Assert.Equal(["https://ops.surgicase.example/signin-oidc"], named["CallbackURLs"]!.AsArray().Select(u => (string?)u));
    }

    [Fact]
    public void The_scheduler_signs_in_against_the_pool_with_the_client_secret_from_secrets_manager()
    {
        var scheduler = Json.Service("scheduler-service");
        var poolId = Json.Resources("AWS::Cognito::UserPool").Single().Id;
        var clientId = Json.Resources("AWS::Cognito::UserPoolClient").Single().Id;

        Assert.Equal(
            $"{{\"Fn::Join\":[\"\",[\"https://cognito-idp.eu-west-1.amazonaws.com/\",{{\"Ref\":\"{poolId}\"}}]]}}",
            TemplateJson.Canonical(scheduler.Environment["Operations__Oidc__Authority"]));
        Assert.Equal(clientId, (string?)scheduler.Environment["Operations__Oidc__ClientId"]!["Ref"]);
        Assert.Equal("cognito:groups", (string?)scheduler.Environment["Operations__Oidc__RoleClaim"]);
        Assert.Equal("operator", (string?)scheduler.Environment["Operations__Oidc__OperatorValues"]);
        Assert.Equal("viewer", (string?)scheduler.Environment["Operations__Oidc__ViewerValues"]);
        Assert.Equal("false", (string?)scheduler.Environment["Operations__BreakGlassKeySignIn"]);

        // The secret ECS injects is the one CloudFormation filled from the client's ClientSecret attribute.
        var secretId = (string)scheduler.Secrets["Operations__Oidc__ClientSecret"]!["Ref"]!;
        var copied = Json.PropertiesOf(secretId)["SecretString"]!["Fn::GetAtt"]!.AsArray().Select(p => (string?)p);
        Assert.Equal([clientId, "ClientSecret"], copied);
        // Only the scheduler hosts the page.
        Assert.All(Json.Services().Where(s => s.Name != "scheduler-service"),
            s => Assert.DoesNotContain(s.Environment.Keys.Concat(s.Secrets.Keys), k => k.StartsWith("Operations__Oidc", StringComparison.Ordinal)));
    }

    [Fact]
    public void An_external_issuer_replaces_the_pool()
    {
        var json = SynthesizedStack.With(new Dictionary<string, object>
        {
            ["oidcAuthority"] = "https://login.example.okta.com/oauth2/default",
            ["oidcClientId"] = "0oa1surgicase",
            ["oidcClientSecretArn"] = ExternalSecretArn,
            ["oidcRoleClaim"] = "groups",
            ["oidcOperatorValues"] = "SurgiCase Operators",
        }).Json;

        Assert.DoesNotContain(json.Root["Resources"]!.AsObject(), r => ((string?)r.Value!["Type"])!.StartsWith("AWS::Cognito::", StringComparison.Ordinal));
        var scheduler = json.Service("scheduler-service");
        Assert.Equal("https://login.example.okta.com/oauth2/default", (string?)scheduler.Environment["Operations__Oidc__Authority"]);
        Assert.Equal("0oa1surgicase", (string?)scheduler.Environment["Operations__Oidc__ClientId"]);
        Assert.Equal("groups", (string?)scheduler.Environment["Operations__Oidc__RoleClaim"]);
        Assert.Equal("SurgiCase Operators", (string?)scheduler.Environment["Operations__Oidc__OperatorValues"]);
        Assert.False(scheduler.Environment.ContainsKey("Operations__Oidc__ViewerValues"));
        Assert.Equal("false", (string?)scheduler.Environment["Operations__BreakGlassKeySignIn"]);
        Assert.Equal(ExternalSecretArn, (string?)scheduler.Secrets["Operations__Oidc__ClientSecret"]);
        Assert.Equal("internet-facing", (string?)json.Resources("AWS::ElasticLoadBalancingV2::LoadBalancer").Single().Resource["Properties"]!["Scheme"]);
    }

    [Fact]
    public void The_operator_key_alone_is_allowed_behind_an_internal_load_balancer_only()
    {
        var json = SynthesizedStack.With(new Dictionary<string, object> { ["signIn"] = "operator-key", ["albScheme"] = "internal" }).Json;

        Assert.Empty(json.Resources("AWS::Cognito::UserPool"));
        var scheduler = json.Service("scheduler-service");
        Assert.Equal("true", (string?)scheduler.Environment["Operations__BreakGlassKeySignIn"]);
        Assert.DoesNotContain(scheduler.Environment.Keys.Concat(scheduler.Secrets.Keys), k => k.StartsWith("Operations__Oidc", StringComparison.Ordinal));
        Assert.Equal("internal", (string?)json.Resources("AWS::ElasticLoadBalancingV2::LoadBalancer").Single().Resource["Properties"]!["Scheme"]);
    }
}
