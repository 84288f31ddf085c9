using System.Diagnostics;
using Microsoft.Extensions.Logging;
using ZeroBuffer.Serve.StepDefinitions.Support;
using ZeroBuffer.Serve.Steps;
using static ZeroBuffer.Serve.StepDefinitions.Phrases;

namespace ZeroBuffer.Serve.StepDefinitions;

/// <summary>Writing and checking metadata (feature 04 and the metadata steps of 01-02).</summary>
public sealed class MetadataSteps(ZeroBufferContext context, ILogger<MetadataSteps> logger)
{
    [When(Role + "writes metadata with size " + Int)]
    public StepData WriteMetadata(string role, int size)
    {
        Writer writer = context.IdleWriter();
        var clock = Stopwatch.StartNew();
        Write(writer, size);
        logger.LogInformation("Wrote {Size} B of metadata to '{Buffer}'", size, writer.Name);
        return new StepData { ["buffer"] = writer.Name, ["size"] = size, [Elapsed.Key] = Elapsed.Milliseconds(clock) };
    }

    [Then(Role + "should fail to write metadata with size " + Int + " with " + Kind)]
    public StepData FailToWriteMetadata(string role, int size, string kind)
    {
        Writer writer = context.IdleWriter();
        var clock = Stopwatch.StartNew();
        StepData data = ErrorKinds.ExpectFailure(kind, $"writing {size} B of metadata to '{writer.Name}'", () => Write(writer, size));
        data["buffer"] = writer.Name;
        data["size"] = size;
        data[Elapsed.Key] = Elapsed.Milliseconds(clock);
        return data;
    }

    [Then(Role + "should have metadata with size " + Int)]
    public StepData ShouldHaveMetadata(string role, int size)
    {
        Reader reader = context.CurrentReader.Reader;
        ReadOnlySpan<byte> metadata = reader.GetMetadata();
        if (metadata.Length != size)
        {
            throw new StepAssertionException($"Expected {size} B of metadata in '{reader.Name}', found {metadata.Length} B.");
        }

        int mismatch = Patterns.FindMetadataMismatch(metadata);
        if (mismatch >= 0)
        {
            throw new StepAssertionException(
                $"Metadata of '{reader.Name}' breaks the pattern at byte {mismatch}: 0x{metadata[mismatch]:X2}, expected 0x{mismatch & 0xFF:X2}.");
        }

        return new StepData { ["buffer"] = reader.Name, ["size"] = size };
    }

    [Then(Role + "should have no metadata")]
    public StepData ShouldHaveNoMetadata(string role)
    {
        Reader reader = context.CurrentReader.Reader;
        int length = reader.GetMetadata().Length;
        if (length != 0)
        {
            throw new StepAssertionException($"Expected no metadata in '{reader.Name}', found {length} B.");
        }

        return new StepData { ["buffer"] = reader.Name, ["size"] = 0 };
    }

    /// <summary>Zero-copy: fill the library's metadata block in place, then publish it.</summary>
    private static void Write(Writer writer, int size)
    {
        Span<byte> target = writer.GetMetadataBuffer(size);
        Patterns.FillMetadata(target);
        writer.CommitMetadata();
    }
}
