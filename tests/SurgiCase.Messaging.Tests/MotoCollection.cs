using SurgiCase.Testing;

namespace SurgiCase.Messaging.Tests;

[CollectionDefinition(Name)]
public sealed class MotoCollection : ICollectionFixture<MotoServer>
{
    public const string Name = "moto";
}
