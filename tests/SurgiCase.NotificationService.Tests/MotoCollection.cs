using SurgiCase.Testing;

namespace SurgiCase.NotificationService.Tests;

[CollectionDefinition(Name)]
public sealed class MotoCollection : ICollectionFixture<MotoServer>
{
    public const string Name = "moto";
    public const string Sender = "alerts@surgicase.local";

    /// <summary>Clears moto and verifies the sender, as the AppHost does; without it SES answers MessageRejected.</summary>
    public static async Task ResetAndVerifySenderAsync(MotoServer moto)
    {
        await moto.ResetAsync();
        await moto.VerifyEmailIdentityAsync(Sender);
    }
}
