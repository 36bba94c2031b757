using SurgiCase.NotificationService.Recipients;

namespace SurgiCase.NotificationService.Tests;

/// <summary>Stands in for the recipients secret: fixed fields, or unreachable.</summary>
internal sealed class FakeRecipientSource : IRecipientSource
{
    public RecipientSettings Settings { get; set; } = new("ops@surgicase.local,admin@surgicase.local", "admin@surgicase.local");

    public bool Unavailable { get; set; }

    public Task<RecipientSettings> ReadAsync(CancellationToken cancellationToken) =>
        Unavailable ? throw new HttpRequestException("secrets-service unreachable") : Task.FromResult(Settings);
}
