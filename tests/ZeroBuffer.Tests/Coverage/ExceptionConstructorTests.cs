namespace ZeroBuffer.Tests.Coverage;

/// <summary>
/// Every ZeroBuffer exception offers the standard .NET constructors (CA1032): a caller that wraps or
/// rethrows one must keep its message and inner exception, and its Kind must not depend on the constructor.
/// </summary>
public sealed class ExceptionConstructorTests
{
    public static TheoryData<Type> AllExceptionTypes()
    {
        var data = new TheoryData<Type>();
        foreach (Type type in typeof(ZeroBufferException).Assembly.GetExportedTypes()
                     .Where(t => typeof(ZeroBufferException).IsAssignableFrom(t))
                     .OrderBy(t => t.Name, StringComparer.Ordinal))
        {
            data.Add(type);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(AllExceptionTypes))]
    public void The_message_constructor_keeps_the_message_and_the_kind(Type type)
    {
        string expectedKind = Create(type).Kind;

        var error = (ZeroBufferException)Activator.CreateInstance(type, "custom message")!;

        Assert.Equal("custom message", error.Message);
        Assert.Null(error.InnerException);
        Assert.Null(error.BufferName);
        Assert.Equal(0, error.Errno);
        Assert.Equal(expectedKind, error.Kind);
    }

    [Theory]
    [MemberData(nameof(AllExceptionTypes))]
    public void The_wrapping_constructor_keeps_the_inner_exception(Type type)
    {
        var cause = new IOException("disk on fire");

        var error = (ZeroBufferException)Activator.CreateInstance(type, "wrapped", cause)!;

        Assert.Equal("wrapped", error.Message);
        Assert.Same(cause, error.InnerException);
        Assert.Null(error.BufferName);
        Assert.Equal(0, error.Errno);
        Assert.Equal(Create(type).Kind, error.Kind);
    }

    [Fact]
    public void The_base_exception_is_the_generic_kind_with_a_default_message()
    {
        var error = new ZeroBufferException();

        Assert.Equal(ZeroBufferException.GenericKind, error.Kind);
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
        Assert.Null(error.BufferName);
    }

    private static ZeroBufferException Create(Type type) => (ZeroBufferException)Activator.CreateInstance(type)!;
}
