using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace SurgiCase.ApiSimulator;

/// <summary>Bound from the <c>Simulator</c> configuration section.</summary>
public sealed class SimulatorOptions
{
    public const string SectionName = "Simulator";

    /// <summary>When set, report endpoints answer 401 unless <c>X-Api-Key</c> equals it.</summary>
    /// <remarks>
    /// A key with a space or a control character (a trailing newline from a file, say) could never be sent back in a
    /// header, so every report call would fail with 401 for a reason nobody would look for.
    /// </remarks>
    [RegularExpression(@"^[\x21-\x7E]+$", ErrorMessage = "Simulator:RequiredApiKey must be printable ASCII without spaces, as an X-Api-Key header value is.")]
    public string? RequiredApiKey { get; set; }
}

[OptionsValidator]
internal sealed partial class SimulatorOptionsValidator : IValidateOptions<SimulatorOptions>
{
    // Validated under the section's name, so a message names the key ("Section.Member"), not the class.
    ValidateOptionsResult IValidateOptions<SimulatorOptions>.Validate(string? name, SimulatorOptions options) => Validate(SimulatorOptions.SectionName, options);
}
