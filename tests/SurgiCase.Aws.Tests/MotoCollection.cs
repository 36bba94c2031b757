using SurgiCase.Testing;

namespace SurgiCase.Aws.Tests;

/// <summary>One moto_server shared by the tests that do not change its auth mode.</summary>
[CollectionDefinition(Name)]
public sealed class MotoCollection : ICollectionFixture<MotoServer>
{
    public const string Name = "moto";
}
