using System.Buffers.Binary;
using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace SurgiCase.NotificationService.Acknowledgement;

/// <summary>
/// The emailed acknowledge link's token: the alert's delivery-log id and an expiry, protected with ASP.NET Data
/// Protection (authenticated encryption under the service's shared key ring, in its database) for one purpose. Only
/// NotificationService can make or read one; the operations page passes it through. A changed character fails the
/// authentication; an expired token is told apart from a forged one. Single use is the delivery log's: only the first
/// acknowledgement of an alert is recorded.
/// </summary>
internal sealed class AcknowledgeTokens(IDataProtectionProvider protection, IOptions<AcknowledgementOptions> options, TimeProvider time)
{
    private const string Purpose = "SurgiCase.NotificationService.AcknowledgeLink.v1";
    private readonly IDataProtector _protector = protection.CreateProtector(Purpose);

    public string Create(long alertId)
    {
        var expires = time.GetUtcNow() + options.Value.LinkLifetime;
        var payload = new byte[16];
        BinaryPrimitives.WriteInt64BigEndian(payload, alertId);
        BinaryPrimitives.WriteInt64BigEndian(payload.AsSpan(8), expires.ToUnixTimeSeconds());
        return WebEncoders.Base64UrlEncode(_protector.Protect(payload));
    }

    public TokenCheck Read(string? token)
    {
        byte[] payload;
        try
        {
            payload = _protector.Unprotect(WebEncoders.Base64UrlDecode(token ?? ""));
        }
        catch (Exception e) when (e is CryptographicException or FormatException)
        {
            return new TokenCheck(TokenStatus.Invalid, 0, default);
        }

        if (payload.Length != 16)
        {
            return new TokenCheck(TokenStatus.Invalid, 0, default);
        }

        var id = BinaryPrimitives.ReadInt64BigEndian(payload);
        var expires = DateTimeOffset.FromUnixTimeSeconds(BinaryPrimitives.ReadInt64BigEndian(payload.AsSpan(8)));
        return new TokenCheck(time.GetUtcNow() < expires ? TokenStatus.Valid : TokenStatus.Expired, id, expires);
    }
}

internal enum TokenStatus
{
    Valid,
    Invalid,
    Expired,
}

internal sealed record TokenCheck(TokenStatus Status, long AlertId, DateTimeOffset ExpiresAt);
