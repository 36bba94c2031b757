using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Refuses API keys shorter than <see cref="MinimumLength"/> characters at start (and when the keys are reloaded): a
/// short key can be guessed, and the sign-in and API limits only slow guessing down. The message names the setting,
/// never its value.
/// </summary>
internal sealed class ApiKeyLength(IConfiguration configuration) : IValidateOptions<ApiKeyAuthenticationOptions>
{
    /// <summary>32 characters: 128 bits or more from a hex or base64 generator (the AppHost's parameters, openssl rand).</summary>
    public const int MinimumLength = 32;

    public ValidateOptionsResult Validate(string? name, ApiKeyAuthenticationOptions options)
    {
        var tooShort = TooShort(configuration.GetSection(ApiKeyAuthenticationOptions.SectionName));
        return tooShort.Count == 0
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"API keys must be at least {MinimumLength} characters long: {string.Join(", ", tooShort)} is shorter.");
    }

    /// <summary>The configuration keys (<c>Authentication:ApiKeys:operator</c>, <c>…:operator:next</c>) whose non-empty value is too short.</summary>
    public static IReadOnlyList<string> TooShort(IConfigurationSection section) =>
        section.GetChildren()
            .SelectMany(caller => caller.GetChildren().Prepend(caller))
            .Where(key => !string.IsNullOrEmpty(key.Value) && key.Value.Length < MinimumLength)
            .Select(key => key.Path)
            .ToList();
}
