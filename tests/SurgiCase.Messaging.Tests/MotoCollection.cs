using SurgiCase.Testing;
using SurgiCase.Messaging.Sqs;

namespace SurgiCase.Messaging.Tests;

[CollectionDefinition(Name)]
public sealed class MotoCollection : ICollectionFixture<MotoServer>
{
    public const string Name = "moto";
}
