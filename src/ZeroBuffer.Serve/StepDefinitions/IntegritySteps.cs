using System.Diagnostics;
using Microsoft.Extensions.Logging;
using ZeroBuffer.Diagnostics;
using ZeroBuffer.Serve.StepDefinitions.Support;
using ZeroBuffer.Serve.Steps;
using static ZeroBuffer.Serve.StepDefinitions.Phrases;

namespace ZeroBuffer.Serve.StepDefinitions;

/// <summary>What the reader sees is what the writer wrote (feature 07): corrupted sequences, multi-field records.</summary>
public sealed class IntegritySteps(ZeroBufferContext context, ILogger<IntegritySteps> logger)
{
    [When(Role + "sets the sequence of the next unread frame to " + Count)]
    public StepData SetNextUnreadSequence(string role, ulong sequence)
    {
        string buffer = context.CurrentBuffer;
        long offset = NextUnreadFrame.Offset(buffer);
        FrameHeaderState before = BufferEditor.ReadFrameHeader(buffer, offset);
        BufferEditor.WriteFrameSequence(buffer, offset, sequence);
        logger.LogInformation("Set the sequence of the frame at offset {Offset} of '{Buffer}' from {Before} to {After}", offset, buffer, before.Sequence, sequence);
        return new StepData { ["buffer"] = buffer, ["offset"] = offset, ["previousSequence"] = before.Sequence, ["sequence"] = sequence };
    }

    [Then(Role + "should fail to read a frame with 'SequenceError' naming expected " + Count + " and actual " + Count)]
    public StepData ShouldFailWithSequenceError(string role, ulong expected, ulong actual)
    {
        ReaderState state = context.CurrentReader;
        string buffer = state.Reader.Name;
        var clock = Stopwatch.StartNew();
        try
        {
            using Frame frame = state.Reader.ReadFrame(FrameReadingSteps.ReadTimeout);
            string outcome = frame.IsValid ? $"it returned frame {frame.Sequence} ({frame.Size} B)" : $"no frame arrived within {FrameReadingSteps.ReadTimeout.TotalMilliseconds:0} ms";
            if (frame.IsValid)
            {
                state.LastSequence = frame.Sequence;
            }

            throw new StepAssertionException($"Expected reading a frame from '{buffer}' to fail with 'SequenceError' (expected {expected}, actual {actual}), but {outcome}.");
        }
        catch (SequenceErrorException error)
        {
            bool named = error.Message.Contains(expected.ToString(), StringComparison.Ordinal) && error.Message.Contains(actual.ToString(), StringComparison.Ordinal);
            if (error.Expected != expected || error.Got != actual || !named)
            {
                throw new StepAssertionException(
                    $"Expected a SequenceError from '{buffer}' naming expected {expected} and actual {actual}, but it carries expected {error.Expected}, got {error.Got}: {error.Message}");
            }

            logger.LogInformation("Reading from '{Buffer}' failed as expected: {Message}", buffer, error.Message);
            return new StepData { ["buffer"] = buffer, ["errorType"] = error.Kind, ["expected"] = error.Expected, ["actual"] = error.Got, [Elapsed.Key] = Elapsed.Milliseconds(clock) };
        }
        catch (ZeroBufferException error)
        {
            throw new StepAssertionException($"Expected reading a frame from '{buffer}' to fail with 'SequenceError', but it failed with '{ErrorKinds.Of(error)}': {error.Message}");
        }
    }

    [When(Role + "starts writing " + Count + " records of " + Count + " fields under CPU load in the background")]
    public StepData StartWritingRecords(string role, int count, int fields)
    {
        BackgroundWrite work = context.StartBackground(count, fields * Records.FieldSize, Records.Fill, underLoad: true);
        logger.LogInformation("Started {Work}", work.Describe());
        return new StepData { ["buffer"] = work.Writer.Name, ["count"] = count, ["fields"] = fields, ["size"] = work.Size };
    }

    [Then(Role + "should read " + Count + " records of " + Count + " fields in order, each whole")]
    public StepData ReadRecords(string role, int count, int fields, CancellationToken ct)
    {
        ReaderState state = context.CurrentReader;
        Reader reader = state.Reader;
        int size = fields * Records.FieldSize;
        var clock = Stopwatch.StartNew();
        ulong first = state.ExpectedNext;
        for (int i = 0; i < count; i++)
        {
            ct.ThrowIfCancellationRequested();
            ulong expected = state.ExpectedNext;
            using Frame frame = reader.ReadFrame(FrameReadingSteps.ReadTimeout);
            if (!frame.IsValid)
            {
                throw new StepAssertionException($"No record arrived in '{reader.Name}' within {FrameReadingSteps.ReadTimeout.TotalMilliseconds:0} ms (record {i + 1} of {count}); expected record {expected}.");
            }

            state.LastSequence = frame.Sequence;
            if (frame.Sequence != expected || frame.Size != size)
            {
                throw new StepAssertionException($"Expected record {expected} of {size} B in '{reader.Name}', but read frame {frame.Sequence} of {frame.Size} B.");
            }

            int wrong = Records.FindWrongField(frame.Span, frame.Sequence);
            if (wrong >= 0)
            {
                ulong seen = BitConverter.ToUInt64(frame.Span[(wrong * Records.FieldSize)..]);
                throw new StepAssertionException(
                    $"Record {frame.Sequence} in '{reader.Name}' is half-written: field {wrong} of {fields} is 0x{seen:X16}, expected 0x{Records.Field(frame.Sequence, wrong):X16}.");
            }
        }

        logger.LogInformation("Read {Count} whole records of {Fields} fields from '{Buffer}'", count, fields, reader.Name);
        return new StepData
        {
            ["buffer"] = reader.Name,
            ["count"] = count,
            ["firstSequence"] = first,
            ["lastSequence"] = state.LastSequence,
            [Elapsed.Key] = Elapsed.Milliseconds(clock),
        };
    }
}
