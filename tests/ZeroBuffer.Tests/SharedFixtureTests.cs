using System.Text.Json;
using ZeroBuffer.Diagnostics;
using ZeroBuffer.Platform;
using ZeroBuffer.Tests.Support;

namespace ZeroBuffer.Tests;

/// <summary>The rule tables every language's suite reads from testdata/ (PROTOCOL.md §5 and §6).</summary>
[Collection(ZeroBufferCollection.Name)]
public sealed class SharedFixtureTests
{
    private static readonly JsonDocument Validation = Load("oieb/validation-cases.json");
    private static readonly JsonDocument ErrnoKinds = Load("errno/errno-kinds.json");

    public static TheoryData<string, ulong, string, string> ValidationCases()
    {
        var data = new TheoryData<string, ulong, string, string>();
        foreach (JsonElement c in Validation.RootElement.GetProperty("cases").EnumerateArray())
        {
            data.Add(c.GetProperty("field").GetString()!, c.GetProperty("value").GetUInt64(), c.GetProperty("when").GetString()!, c.GetProperty("expect").GetString()!);
        }

        return data;
    }

    public static TheoryData<string, int, string> ErrnoCases()
    {
        var data = new TheoryData<string, int, string>();
        foreach (JsonElement c in ErrnoKinds.RootElement.GetProperty("cases").EnumerateArray())
        {
            data.Add(c.GetProperty("errno").GetString()!, c.GetProperty("number").GetInt32(), c.GetProperty("kind").GetString()!);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ValidationCases))]
    public void Oieb_validation_case(string field, ulong value, string when, string expect)
    {
        Assert.Equal(expect, RunCase(field, value, when));
    }

    [Theory]
    [MemberData(nameof(ErrnoCases))]
    public void Errno_maps_to_the_kind_of_the_table(string errnoName, int number, string kind)
    {
        Assert.Equal(errnoName, Interop.Errno.Name(number));
        ZeroBufferException error = Interop.ErrnoToException(number, "shm_open", "/buf", "buf");
        Assert.Equal(kind, error.Kind);
        Assert.Equal(number, error.Errno);
        Assert.Contains($"shm_open '/buf'", error.Message);
        Assert.Contains($"({errnoName})", error.Message);
    }

    private static string RunCase(string field, ulong value, string when)
    {
        JsonElement config = Validation.RootElement.GetProperty("config");
        string name = Some.ShmName();
        using var reader = new Reader(name, new BufferConfig(config.GetProperty("metadata_size").GetInt32(), config.GetProperty("payload_size").GetInt32()));
        if (when == "before-connect")
        {
            BufferEditor.WriteOiebField(name, field, value);
            return Outcome(() => new Writer(name).Dispose());
        }

        using var writer = new Writer(name);
        byte[] frame = new byte[100];
        if (when == "mid-stream")
        {
            writer.WriteFrame(frame);
            using (Frame read = reader.ReadFrame(TimeSpan.FromSeconds(1)))
            {
                Assert.True(read.IsValid);
            }

            BufferEditor.WriteOiebField(name, field, value);
            writer.WriteTimeout = TimeSpan.FromMilliseconds(200);
            return Outcome(() => writer.WriteFrame(frame));
        }

        writer.SetMetadata(new byte[16]);
        writer.WriteFrame(frame);
        BufferEditor.WriteOiebField(name, field, value);
        return Outcome(() =>
        {
            _ = reader.GetMetadata();
            using Frame read = reader.ReadFrame(TimeSpan.FromSeconds(1));
            Assert.True(read.IsValid);
        });
    }

    private static string Outcome(Action action)
    {
        try
        {
            action();
            return "ok";
        }
        catch (ZeroBufferException e)
        {
            return e.Kind;
        }
    }

    private static JsonDocument Load(string relative) => JsonDocument.Parse(File.ReadAllText(Testdata.Path(relative)));
}
