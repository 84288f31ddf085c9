namespace ZeroBuffer.Tests.Support;

/// <summary>
/// All tests share one collection: they run one after another (they measure timeouts and share the
/// lock directory), and <see cref="LeakCheckFixture"/> runs after the last of them.
/// </summary>
[CollectionDefinition(Name)]
public sealed class ZeroBufferCollection : ICollectionFixture<LeakCheckFixture>
{
    public const string Name = "ZeroBuffer";
}
