using SurgiCase.Testing;

namespace SurgiCase.SecretsService.Tests;

/// <summary>The one collection of this assembly: shared moto, and the leak guard that checks the whole run when it ends.</summary>
[CollectionDefinition(Name)]
public sealed class MotoCollection : ICollectionFixture<MotoServer>, ICollectionFixture<SecretLeakGuard>
{
    public const string Name = "moto";
}
