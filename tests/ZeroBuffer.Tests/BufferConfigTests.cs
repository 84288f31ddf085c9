using ZeroBuffer.Tests.Support;

namespace ZeroBuffer.Tests;

[Collection(ZeroBufferCollection.Name)]
public sealed class BufferConfigTests
{
    [Fact]
    public void Defaults_are_1_KiB_metadata_and_1_MiB_payload()
    {
        var config = new BufferConfig();
        Assert.Equal(1024, config.MetadataSize);
        Assert.Equal(1048576, config.PayloadSize);
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(0, -1)]
    [InlineData(-1, 1024)]
    public void Out_of_range_sizes_are_InvalidConfig(int metadata, int payload)
    {
        var error = Assert.Throws<InvalidConfigException>(() => new BufferConfig(metadata, payload));
        Assert.Equal("InvalidConfig", error.Kind);
    }

    [Fact]
    public void Object_initializers_are_validated_too()
    {
        Assert.Throws<InvalidConfigException>(() => new BufferConfig { PayloadSize = 0 });
        Assert.Equal(77, new BufferConfig { MetadataSize = 77 }.MetadataSize);
    }

    [Fact]
    public void Zero_metadata_is_allowed()
    {
        string name = Some.ShmName();
        using var reader = new Reader(name, new BufferConfig(0, 64));
        Assert.Equal(0L, reader.MetadataSize);
        Assert.Equal(64L, reader.PayloadSize);
    }
}
