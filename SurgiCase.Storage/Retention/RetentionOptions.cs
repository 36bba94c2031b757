using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace SurgiCase.Storage.Retention;

/// <summary>How often a service's retention sweep runs; bound from the <c>Retention</c> section. The periods belong to each step's own options.</summary>
public sealed class RetentionOptions
{
    public const string SectionName = "Retention";

    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromHours(1);
}

[OptionsValidator]
internal sealed partial class RetentionOptionsValidator : IValidateOptions<RetentionOptions>
{
    ValidateOptionsResult IValidateOptions<RetentionOptions>.Validate(string? name, RetentionOptions options) => Validate(RetentionOptions.SectionName, options);
}
