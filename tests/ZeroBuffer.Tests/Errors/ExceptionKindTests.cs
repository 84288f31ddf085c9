using ZeroBuffer.Platform;
namespace ZeroBuffer.Tests.Errors;

public sealed class ExceptionKindTests
{
    private static readonly string[] Kinds =
    [
        "InvalidBufferName", "InvalidConfig", "BufferNotFound", "ReaderAlreadyConnected", "WriterAlreadyConnected",
        "ReaderDead", "WriterDead", "BufferFull", "FrameTooLarge", "InvalidFrameSize", "SequenceError",
        "MetadataTooLarge", "MetadataAlreadyWritten", "InvalidOieb", "ProtocolVersionMismatch",
        "SystemError", "ResourceExhausted", "PermissionDenied",
    ];

    public static TheoryData<string> AllKinds() => new(Kinds);

    [Theory]
    [MemberData(nameof(AllKinds))]
    public void Every_kind_has_a_public_exception_whose_Kind_is_its_bare_name(string kind)
    {
        Type? type = typeof(ZeroBufferException).Assembly.GetType($"ZeroBuffer.{kind}Exception");

        Assert.NotNull(type);
        Assert.True(type!.IsPublic);
        Assert.True(type.IsSubclassOf(typeof(ZeroBufferException)));
        var instance = (ZeroBufferException)Activator.CreateInstance(type)!;
        Assert.Equal(kind, instance.Kind);
        Assert.False(string.IsNullOrWhiteSpace(instance.Message));
    }

    [Fact]
    public void There_are_exactly_the_eighteen_protocol_kinds()
    {
        string[] declared = typeof(ZeroBufferException).Assembly.GetExportedTypes()
            .Where(t => t.IsSubclassOf(typeof(ZeroBufferException)))
            .Select(t => t.Name[..^"Exception".Length])
            .Order()
            .ToArray();

        Assert.Equal(Kinds.Order().ToArray(), declared);
    }

    [Fact]
    public void SequenceError_carries_expected_and_got()
    {
        var error = new SequenceErrorException(5, 9);
        Assert.Equal(5UL, error.Expected);
        Assert.Equal(9UL, error.Got);
        Assert.Contains("expected 5", error.Message);
    }

    [Fact]
    public void Errno_values_map_to_the_resource_and_permission_kinds_and_name_the_resource()
    {
        Assert.IsType<ResourceExhaustedException>(Interop.ErrnoToException(Interop.Errno.ENOSPC, "ftruncate", "/x", "x"));
        Assert.IsType<ResourceExhaustedException>(Interop.ErrnoToException(Interop.Errno.EMFILE, "open", "/x", "x"));
        Assert.IsType<ResourceExhaustedException>(Interop.ErrnoToException(Interop.Errno.ENFILE, "open", "/x", "x"));
        Assert.IsType<PermissionDeniedException>(Interop.ErrnoToException(Interop.Errno.EACCES, "shm_open", "/x", "x"));
        var denied = Assert.IsType<PermissionDeniedException>(Interop.ErrnoToException(Interop.Errno.EPERM, "shm_open", "/seg", "buf"));
        Assert.Contains("/seg", denied.Message);
        Assert.Contains("buf", denied.Message);
        Assert.Equal(Interop.Errno.EPERM, denied.Errno);

        // An errno the table does not name is SystemError (the whole table: SharedFixtureTests).
        Assert.IsType<SystemErrorException>(Interop.ErrnoToException(Interop.Errno.EINVAL, "mmap", "/x", "x"));
    }
}
