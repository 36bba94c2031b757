using System.ComponentModel.DataAnnotations;

namespace SurgiCase.IdentityProvider;

/// <summary>
/// Bound from <c>IdentityProvider</c>: the one client (the operations page) and the seeded people. Everything comes from
/// the AppHost per machine (generated passwords and client secret in its user secrets): nothing here is valid anywhere else.
/// </summary>
internal sealed class IdentityProviderOptions
{
    public const string SectionName = "IdentityProvider";

    [Required(ErrorMessage = "IdentityProvider:ClientId is required: the operations page's client id.")]
    public string ClientId { get; set; } = "surgicase-operations";

    [Required(ErrorMessage = "IdentityProvider:ClientSecret is required: the operations page's client secret (the AppHost generates it).")]
    public string ClientSecret { get; set; } = "";

    /// <summary>Where the operations page receives the code: <c>{scheduler}/signin-oidc</c>.</summary>
    [Required(ErrorMessage = "IdentityProvider:RedirectUri is required: the operations page's /signin-oidc address.")]
    public Uri? RedirectUri { get; set; }

    /// <summary>Where the operations page lands after signing out at the provider: <c>{scheduler}/signout-callback-oidc</c>.</summary>
    public Uri? PostLogoutRedirectUri { get; set; }

    /// <summary>The seeded people by user name (the subject is the user name).</summary>
    public Dictionary<string, Person> People { get; set; } = new(StringComparer.Ordinal);
}

internal sealed class Person
{
    /// <summary>The display name (the <c>name</c> claim).</summary>
    public string Name { get; set; } = "";

    public string? Email { get; set; }

    /// <summary>Empty: this person cannot sign in (no password was generated for them).</summary>
    public string Password { get; set; } = "";

    /// <summary>The <c>role</c> claim's values, for example <c>operator</c> or <c>viewer</c>.</summary>
    public List<string> Roles { get; set; } = [];
}
