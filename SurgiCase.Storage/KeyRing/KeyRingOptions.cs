using System.ComponentModel.DataAnnotations;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace SurgiCase.Storage.KeyRing;

/// <summary>
/// Where a service keeps its ASP.NET Data Protection key ring and what protects it at rest. Bound from the
/// <c>DataProtection</c> section. Replicas that share the ring (the service's database, or one folder) read each
/// other's cookies, antiforgery tokens and encrypted files.
/// </summary>
public sealed class KeyRingOptions
{
    public const string SectionName = "DataProtection";

    /// <summary>A folder for the key ring (relative to the content root) instead of the service's database.</summary>
    public string? KeysDirectory { get; set; }

    /// <summary>
    /// A secret of at least 32 characters (e.g. <c>openssl rand -base64 32</c>, or a generated Secrets Manager
    /// password) from which the AES-256-GCM key that encrypts every key of the ring before it is stored is derived
    /// (HKDF-SHA256). Required outside Development; without it keys are stored in clear and Data Protection logs a warning.
    /// </summary>
    [MinLength(32, ErrorMessage = "DataProtection:KeyEncryptionKey must be at least 32 characters (e.g. the output of 'openssl rand -base64 32').")]
    public string? KeyEncryptionKey { get; set; }

    /// <summary>The AES-256 key derived from <see cref="KeyEncryptionKey"/>, or null when it is unset.</summary>
    internal byte[]? KeyEncryptionKeyBytes() =>
        string.IsNullOrEmpty(KeyEncryptionKey)
            ? null
            : HKDF.DeriveKey(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(KeyEncryptionKey), 32, info: "SurgiCase.DataProtection.KeyEncryptionKey.v1"u8.ToArray());
}

[OptionsValidator]
internal sealed partial class KeyRingOptionsValidator : IValidateOptions<KeyRingOptions>
{
    // Validated under the section's name, so a message names the key.
    ValidateOptionsResult IValidateOptions<KeyRingOptions>.Validate(string? name, KeyRingOptions options) => Validate(KeyRingOptions.SectionName, options);
}
