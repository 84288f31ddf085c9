using System.Text.Json;
using ZeroBuffer.Diagnostics;
using ZeroBuffer.Tests.Support;

namespace ZeroBuffer.Tests;

/// <summary>
/// The golden images of testdata/images (issue 16): each state of the manifest is made through the public
/// API and its OIEB, metadata block and payload ring are compared byte by byte (pid bytes are masked "..").
/// </summary>
[Collection(ZeroBufferCollection.Name)]
public sealed class GoldenImageTests
{
    private static readonly string Images = Testdata.Path("images");

    public static TheoryData<string> States()
    {
        var data = new TheoryData<string>();
        foreach (JsonElement state in Manifest().GetProperty("states").EnumerateArray())
        {
            data.Add(state.GetProperty("name").GetString()!);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(States))]
    public void State_matches_its_golden_image(string stateName)
    {
        JsonElement state = Manifest().GetProperty("states").EnumerateArray().Single(s => s.GetProperty("name").GetString() == stateName);
        string name = Some.ShmName();
        using var reader = new Reader(name, new BufferConfig(state.GetProperty("metadata_size").GetInt32(), state.GetProperty("payload_size").GetInt32()));
        using Writer? writer = state.GetProperty("operations").GetArrayLength() > 0 ? new Writer(name) : null;
        ulong sequence = 0;
        foreach (JsonElement operation in state.GetProperty("operations").EnumerateArray())
        {
            string[] parts = operation.GetString()!.Split(' ');
            switch (parts[0])
            {
                case "metadata":
                    writer!.SetMetadata(Enumerable.Range(0, int.Parse(parts[1])).Select(i => (byte)i).ToArray());
                    break;
                case "write":
                    writer!.WriteFrame(Some.FrameData(++sequence, int.Parse(parts[1])));
                    break;
                default:
                    using (Frame frame = reader.ReadFrame(TimeSpan.FromSeconds(5)))
                    {
                        Assert.True(frame.IsValid);
                    }

                    break;
            }
        }

        AssertImage($"{stateName}.oieb.hex", BufferEditor.OiebImage(name));
        AssertImage($"{stateName}.metadata.hex", BufferEditor.RegionImage(name, BufferRegion.Metadata));
        AssertImage($"{stateName}.payload.hex", BufferEditor.RegionImage(name, BufferRegion.Payload));
    }

    private static void AssertImage(string file, byte[] actual)
    {
        byte?[] expected = File.ReadAllLines(Path.Combine(Images, file))
            .SelectMany(line => line[(line.IndexOf(':') + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(cell => cell == ".." ? (byte?)null : Convert.ToByte(cell, 16))
            .ToArray();
        Assert.Equal(expected.Length, actual.Length);
        string[] mismatches = expected
            .Select((e, i) => e is null || e == actual[i] ? null : $"0x{i:x4}: {actual[i]:x2} != {e:x2}")
            .OfType<string>()
            .ToArray();
        Assert.True(mismatches.Length == 0, $"{file}: {string.Join(", ", mismatches.Take(8))}");
    }

    private static JsonElement Manifest() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(Images, "manifest.json"))).RootElement;
}
