using System.Security.Cryptography;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace SurgiCase.Storage.KeyRing;

/// <summary>
/// Encrypts each Data Protection key with AES-256-GCM under <see cref="KeyRingOptions.KeyEncryptionKey"/> before it
/// is stored, so the database or folder holding the ring reveals no key to someone who can read it. The element names
/// the key-encryption key by a fingerprint, so a ring read with a different key fails saying so.
/// </summary>
internal sealed class AesGcmXmlEncryptor(byte[] keyEncryptionKey) : IXmlEncryptor
{
    internal const string ElementName = "aesGcmEncryptedKey";
    private static readonly byte[] AssociatedData = "SurgiCase.DataProtection.KeyRing.v1"u8.ToArray();

    public EncryptedXmlInfo Encrypt(XElement plaintextElement)
    {
        var plaintext = System.Text.Encoding.UTF8.GetBytes(plaintextElement.ToString(SaveOptions.DisableFormatting));
        var nonce = RandomNumberGenerator.GetBytes(AesGcm.NonceByteSizes.MaxSize);
        var ciphertext = new byte[plaintext.Length];
        var tag = new byte[AesGcm.TagByteSizes.MaxSize];
        using (var aes = new AesGcm(keyEncryptionKey, tag.Length))
        {
            aes.Encrypt(nonce, plaintext, ciphertext, tag, AssociatedData);
        }

        CryptographicOperations.ZeroMemory(plaintext);
        var element = new XElement(ElementName,
            new XComment(" AES-256-GCM under DataProtection:KeyEncryptionKey "),
            new XAttribute("kek", Fingerprint(keyEncryptionKey)),
            new XAttribute("nonce", Convert.ToBase64String(nonce)),
            new XAttribute("tag", Convert.ToBase64String(tag)),
            Convert.ToBase64String(ciphertext));
        return new EncryptedXmlInfo(element, typeof(AesGcmXmlDecryptor));
    }

    internal static XElement Decrypt(XElement encryptedElement, byte[] keyEncryptionKey)
    {
        var fingerprint = (string?)encryptedElement.Attribute("kek");
        if (fingerprint != Fingerprint(keyEncryptionKey))
        {
            throw new CryptographicException(
                $"A Data Protection key was encrypted with key-encryption key {fingerprint}, but {KeyRingOptions.SectionName}:KeyEncryptionKey is {Fingerprint(keyEncryptionKey)}.");
        }

        var nonce = Convert.FromBase64String((string)encryptedElement.Attribute("nonce")!);
        var tag = Convert.FromBase64String((string)encryptedElement.Attribute("tag")!);
        var ciphertext = Convert.FromBase64String(encryptedElement.Value.Trim());
        var plaintext = new byte[ciphertext.Length];
        using (var aes = new AesGcm(keyEncryptionKey, tag.Length))
        {
            aes.Decrypt(nonce, ciphertext, tag, plaintext, AssociatedData);
        }

        try
        {
            return XElement.Parse(System.Text.Encoding.UTF8.GetString(plaintext));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }

    /// <summary>Names the key-encryption key without revealing it: 8 bytes of its SHA-256, hex.</summary>
    internal static string Fingerprint(byte[] keyEncryptionKey) => Convert.ToHexStringLower(SHA256.HashData(keyEncryptionKey).AsSpan(0, 8));
}

/// <summary>The reverse of <see cref="AesGcmXmlEncryptor"/>; Data Protection creates it by type name with the service provider.</summary>
internal sealed class AesGcmXmlDecryptor(IServiceProvider services) : IXmlDecryptor
{
    public XElement Decrypt(XElement encryptedElement)
    {
        var key = services.GetRequiredService<IOptions<KeyRingOptions>>().Value.KeyEncryptionKeyBytes()
            ?? throw new CryptographicException(
                $"The Data Protection key ring is encrypted, but {KeyRingOptions.SectionName}:KeyEncryptionKey is not set.");
        return AesGcmXmlEncryptor.Decrypt(encryptedElement, key);
    }
}
