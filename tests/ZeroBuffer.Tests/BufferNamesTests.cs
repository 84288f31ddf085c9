using ZeroBuffer.Diagnostics;
using ZeroBuffer.Tests.Support;

namespace ZeroBuffer.Tests;

[Collection(ZeroBufferCollection.Name)]
public sealed class BufferNamesTests
{
    public static TheoryData<string> InvalidNames() => new()
    {
        "bad/name", "../escape", "white space", "", ".hidden", new string('a', 201), "tab\tname", "ümlaut", "semi;colon", "/leading",
    };

    [Theory]
    [MemberData(nameof(InvalidNames))]
    public void Invalid_names_are_refused_before_any_OS_call(string name)
    {
        int shmBefore = Directory.GetFiles("/dev/shm").Length;

        var readerError = Assert.Throws<InvalidBufferNameException>(() => new Reader(name, Some.Config()));
        var writerError = Assert.Throws<InvalidBufferNameException>(() => new Writer(name));
        Assert.Throws<InvalidBufferNameException>(() => BufferInspector.Inspect(name));

        Assert.Contains($"'{name}'", readerError.Message);
        Assert.Contains("[A-Za-z0-9._-]", writerError.Message);
        Assert.Equal("InvalidBufferName", readerError.Kind);
        Assert.False(BufferNames.IsValid(name));
        Assert.True(Directory.GetFiles("/dev/shm").Length <= shmBefore);
        Assert.False(File.Exists(Path.Combine(TestEnvironment.LockDirectory, name + ".lock")));
    }

    [Fact]
    public void An_invalid_name_does_not_even_create_the_lock_directory()
    {
        string directory = Path.Combine(TestEnvironment.LockDirectory, "never-created");
        try
        {
            Environment.SetEnvironmentVariable("ZEROBUFFER_LOCK_DIR", directory);
            Assert.Throws<InvalidBufferNameException>(() => new Reader("../escape", Some.Config()));
            Assert.False(Directory.Exists(directory));
        }
        finally
        {
            Environment.SetEnvironmentVariable("ZEROBUFFER_LOCK_DIR", TestEnvironment.LockDirectory);
        }
    }

    [Theory]
    [InlineData("a")]
    [InlineData("test-metadata-once")]
    [InlineData("A.b_c-9")]
    [InlineData("trailing.")]
    public void Valid_names_pass(string name)
    {
        Assert.True(BufferNames.IsValid(name));
        BufferNames.Validate(name);
    }

    [Fact]
    public void Two_hundred_characters_are_allowed_and_work()
    {
        string name = (Some.RunPrefix + new string('x', 200))[..200];
        Assert.True(BufferNames.IsValid(name));
        using var reader = new Reader(name, Some.Config());
        using var writer = new Writer(name);
        writer.WriteFrame(new byte[1]);
        using Frame frame = reader.ReadFrame();
        Assert.True(frame.IsValid);
    }

    [Fact]
    public void Null_is_invalid()
    {
        Assert.False(BufferNames.IsValid(null));
        Assert.Throws<InvalidBufferNameException>(() => BufferNames.Validate(null));
    }
}
