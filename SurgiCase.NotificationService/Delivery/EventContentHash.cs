using System.Security.Cryptography;
using System.Text;
using SurgiCase.Messaging;
using SurgiCase.Messaging.Contracts;

namespace SurgiCase.NotificationService.Delivery;

/// <summary>
/// The fingerprint of an event's content (issue 12.8): SHA-256 of the event as the wire serializer writes it back
/// after parsing, so the same event redelivered hashes the same (whatever fields the wire copy had that this version
/// does not know), and a different event under a reused id does not.
/// </summary>
internal static class EventContentHash
{
    public static string Of(IJobEvent jobEvent)
    {
        var (messageType, body) = JobEventSerializer.Serialize(jobEvent);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(messageType + "\n" + body)));
    }
}
