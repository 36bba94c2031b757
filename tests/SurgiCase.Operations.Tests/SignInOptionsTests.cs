using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SurgiCase.Operations.Hosting;

namespace SurgiCase.Operations.Tests;

/// <summary>
/// The sign-in settings checked at start (single sign-on's issuer and client, break-glass), and how the provider's
/// role claim becomes the page's roles.
/// </summary>
public sealed class SignInOptionsTests
{
    [Theory]
    [InlineData("http://login.example.com", "page", null, "Operations:Oidc:Authority must be https outside Development.")]
    [InlineData("not a url", "page", null, "Operations:Oidc:Authority must be an absolute URL")]
    [InlineData("https://login.example.com", "", null, "Operations:Oidc:ClientId is required when Operations:Oidc:Authority is set.")]
    [InlineData("", "", "false", "No sign-in method for the operations page: set Operations:Oidc:Authority")]
    [InlineData("", "", null, "No sign-in method for the operations page")]
    public async Task A_bad_sign_in_setting_stops_start_up_naming_the_key(string authority, string clientId, string? breakGlass, string message)
    {
        await using var app = Host("Testing", new Dictionary<string, string?>
        {
            ["Operations:Oidc:Authority"] = authority,
            ["Operations:Oidc:ClientId"] = clientId,
            ["Operations:BreakGlassKeySignIn"] = breakGlass,
        });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Testing", "https://login.example.com", null)]
    [InlineData("Testing", "", "true")]
    [InlineData("Development", "http://localhost:5480", null)]
    [InlineData("Development", "", null)]
    public async Task A_way_to_sign_in_starts(string environment, string authority, string? breakGlass)
    {
        await using var app = Host(environment, new Dictionary<string, string?>
        {
            ["Operations:Oidc:Authority"] = authority,
            ["Operations:Oidc:ClientId"] = "page",
            ["Operations:BreakGlassKeySignIn"] = breakGlass,
        });

        await app.StartAsync();
        await app.StopAsync();
    }

    [Theory]
    [InlineData(false, null, false, true)]
    [InlineData(false, null, true, false)]
    [InlineData(true, null, false, false)]
    [InlineData(true, true, true, true)]
    [InlineData(false, false, false, false)]
    public void Break_glass_is_on_by_default_only_in_Development_without_single_sign_on(bool production, bool? setting, bool oidc, bool expected) =>
        Assert.Equal(expected, new OperationsOptions { BreakGlassKeySignIn = setting }.KeyBreakGlass(!production, oidc));

    [Theory]
    [InlineData(new[] { "operator" }, new[] { "operator", "viewer" })]
    [InlineData(new[] { "viewer" }, new[] { "viewer" })]
    [InlineData(new[] { "viewer", "ops-admins" }, new[] { "operator", "viewer" })]
    [InlineData(new[] { "Operator" }, new string[0])]
    [InlineData(new[] { "payroll" }, new string[0])]
    [InlineData(new string[0], new string[0])]
    public void The_role_claim_maps_onto_operator_and_viewer(string[] values, string[] roles) =>
        Assert.Equal(roles, OperationsRoles.Map(values, new OperationsOidcOptions { OperatorValues = "operator, ops-admins", ViewerValues = "viewer" }));

    [Fact]
    public void The_display_name_falls_back_to_the_username_email_and_subject()
    {
        var oidc = new OperationsOidcOptions { NameClaim = "name" };
        ClaimsPrincipal With(params (string Type, string Value)[] claims) => new(new ClaimsIdentity(claims.Select(c => new Claim(c.Type, c.Value))));

        Assert.Equal("Olivia", OperationsRoles.DisplayName(With(("name", "Olivia"), ("email", "o@x")), oidc, "sub-1"));
        Assert.Equal("o@x", OperationsRoles.DisplayName(With(("email", "o@x")), oidc, "sub-1"));
        Assert.Equal("sub-1", OperationsRoles.DisplayName(With(), oidc, "sub-1"));
    }

    [Fact]
    public void A_person_is_recorded_by_name_and_subject_and_the_break_glass_key_as_operator()
    {
        var person = OperatorSession.Principal("00u1abc", "Olivia Operator", [OperationsRoles.Operator], OperatorSession.OidcMethod, DateTimeOffset.UnixEpoch);
        var key = OperatorSession.Principal(DateTimeOffset.UnixEpoch, "v1");

        Assert.Equal("Olivia Operator [00u1abc]", OperatorSession.Actor(person));
        Assert.Equal("operator", OperatorSession.Actor(key));
        Assert.True(key.IsInRole(OperationsRoles.Operator));
    }

    private static WebApplication Host(string environment, Dictionary<string, string?> settings)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = environment });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Configuration["Authentication:ApiKeys:operator"] = "operator-key-0123456789abcdef0123";
        builder.AddApiDefaults();
        builder.AddOperations();
        return builder.Build();
    }
}
