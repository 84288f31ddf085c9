using Microsoft.Extensions.Logging;
using ZeroBuffer.Diagnostics;
using ZeroBuffer.Serve.StepDefinitions.Support;
using ZeroBuffer.Serve.Steps;
using static ZeroBuffer.Serve.StepDefinitions.Phrases;

namespace ZeroBuffer.Serve.StepDefinitions;

/// <summary>
/// Corrupting a live buffer through the diagnostics API, and the errors that must follow (feature 10):
/// a corrupt OIEB is InvalidOieb, a corrupt frame header InvalidFrameSize, never a crash or a hang.
/// </summary>
public sealed class CorruptionSteps(ZeroBufferContext context, ILogger<CorruptionSteps> logger)
{
    /// <summary>What an error message must name: any text without a quote.</summary>
    private const string Text = "'([^']+)'";

    [When(Role + "sets OIEB field " + Text + " to " + Count)]
    public StepData SetOiebField(string role, string field, ulong value)
    {
        string buffer = context.CurrentBuffer;
        if (!BufferEditor.FieldNames.Contains(field))
        {
            throw new StepAssertionException($"'{field}' is not an OIEB field; the fields are {string.Join(", ", BufferEditor.FieldNames)}.");
        }

        BufferEditor.WriteOiebField(buffer, field, value);
        logger.LogInformation("Set OIEB field {Field} of '{Buffer}' to {Value}", field, buffer, value);
        return new StepData { ["buffer"] = buffer, ["field"] = field, ["value"] = value };
    }

    [When(Role + "sets the payload size of the next unread frame to " + Count)]
    public StepData SetNextUnreadPayloadSize(string role, ulong size)
    {
        string buffer = context.CurrentBuffer;
        long offset = NextUnreadFrame.Offset(buffer);
        FrameHeaderState before = BufferEditor.ReadFrameHeader(buffer, offset);
        BufferEditor.WriteFramePayloadSize(buffer, offset, size);
        logger.LogInformation("Set the payload size of the frame at offset {Offset} of '{Buffer}' from {Before} to {After}", offset, buffer, before.PayloadSize, size);
        return new StepData { ["buffer"] = buffer, ["offset"] = offset, ["previousSize"] = before.PayloadSize, ["size"] = size };
    }

    [Then(Role + "should fail to connect to buffer " + Name + " with " + Kind + " naming " + Text)]
    public StepData FailToConnectNaming(string role, string name, string kind, string text)
    {
        string qualified = context.Qualify(name);
        string operation = $"connecting to buffer '{qualified}'";
        StepData data = ErrorKinds.ExpectFailure(kind, operation, () =>
        {
            using var writer = new Writer(qualified);
        });
        data["buffer"] = qualified;
        return ExpectNamed(data, operation, kind, text);
    }

    [Then(Role + "should fail to read a frame with " + Kind + " naming " + Text)]
    public StepData FailToReadNaming(string role, string kind, string text)
    {
        int timeout = (int)FrameReadingSteps.ReadTimeout.TotalMilliseconds;
        StepData data = FrameReadingSteps.ExpectReadFailure(context, kind, timeout, $"within {timeout} ms");
        return ExpectNamed(data, $"reading a frame from '{data["buffer"]}'", kind, text);
    }

    [Then(Role + "should fail to read metadata with " + Kind)]
    public StepData FailToReadMetadata(string role, string kind)
    {
        Reader reader = context.CurrentReader.Reader;
        StepData data = ErrorKinds.ExpectFailure(kind, $"reading the metadata of '{reader.Name}'", () => _ = reader.GetMetadata().Length);
        data["buffer"] = reader.Name;
        return data;
    }

    /// <summary>The failure's message must contain <paramref name="text"/> (PROTOCOL.md §5/§4: errors name the offending field or value).</summary>
    private static StepData ExpectNamed(StepData data, string operation, string kind, string text)
    {
        string message = (string)data["message"]!;
        if (!message.Contains(text, StringComparison.Ordinal))
        {
            throw new StepAssertionException($"Expected {operation} to fail with '{kind}' naming '{text}', but its message does not: {message}");
        }

        data["named"] = text;
        return data;
    }
}
