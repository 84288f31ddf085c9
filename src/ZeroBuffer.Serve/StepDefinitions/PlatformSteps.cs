using Microsoft.Extensions.Logging;
using ZeroBuffer.Diagnostics;
using ZeroBuffer.Serve.StepDefinitions.Support;
using ZeroBuffer.Serve.Steps;
using static ZeroBuffer.Serve.StepDefinitions.Phrases;

namespace ZeroBuffer.Serve.StepDefinitions;

/// <summary>
/// A buffer's OS objects and names on this platform (feature 08): maximum-length names, the files in
/// /dev/shm and the lock directory and their modes, a graceful close, names refused before any OS call.
/// </summary>
public sealed class PlatformSteps(ZeroBufferContext context, ILogger<PlatformSteps> logger)
{
    /// <summary>The config of "should fail to create buffer" (STEPS.md).</summary>
    private const int ProbeMetadataSize = 1024;
    private const int ProbePayloadSize = 10240;

    private const string Padded = " padded to " + Count + " characters";

    [Given(Role + "creates buffer " + Name + Padded + " with metadata size " + Int + " and payload size " + Int)]
    public StepData CreatePaddedBuffer(string role, string name, int padTo, int metadataSize, int payloadSize)
    {
        ReaderState reader = context.CreateReader(name, metadataSize, payloadSize, role, padTo);
        logger.LogInformation("Created buffer '{Buffer}' ({Length} characters)", reader.Reader.Name, reader.Reader.Name.Length);
        return new StepData { ["buffer"] = reader.Reader.Name, ["nameLength"] = reader.Reader.Name.Length };
    }

    [Given(Role + "connects to buffer " + Name + Padded)]
    public StepData ConnectToPaddedBuffer(string role, string name, int padTo)
    {
        Writer writer = context.ConnectWriter(name, role, padTo);
        logger.LogInformation("Connected a writer to '{Buffer}' ({Length} characters)", writer.Name, writer.Name.Length);
        return new StepData { ["buffer"] = writer.Name, ["nameLength"] = writer.Name.Length };
    }

    [Then(Role + "should fail to create buffer " + Name + Padded + " with " + Kind)]
    public StepData FailToCreatePaddedBuffer(string role, string name, int padTo, string kind)
    {
        string qualified = context.Qualify(name, padTo);
        StepData data = ErrorKinds.ExpectFailure(kind, $"creating buffer '{qualified}'", () =>
        {
            using var reader = new Reader(qualified, new BufferConfig(ProbeMetadataSize, ProbePayloadSize));
        });
        data["buffer"] = qualified;
        data["nameLength"] = qualified.Length;
        return data;
    }

    [Then(Role + "should fail to connect to buffer " + Name + Padded + " with " + Kind)]
    public StepData FailToConnectToPaddedBuffer(string role, string name, int padTo, string kind)
    {
        string qualified = context.Qualify(name, padTo);
        StepData data = ErrorKinds.ExpectFailure(kind, $"connecting to buffer '{qualified}'", () =>
        {
            using var writer = new Writer(qualified);
        });
        data["buffer"] = qualified;
        data["nameLength"] = qualified.Length;
        return data;
    }

    [When(Role + "closes its (reader|writer)")]
    public StepData CloseEndpoint(string role, PeerRole endpoint)
    {
        string buffer = endpoint == PeerRole.Reader ? context.CloseCurrentReader() : context.CloseCurrentWriter();
        logger.LogInformation("Closed the {Endpoint} of '{Buffer}'", endpoint, buffer);
        return new StepData { ["buffer"] = buffer };
    }

    [Then(Role + "should see the shared memory, both semaphores and the lock file of the buffer with mode '([0-7]{3,4})'")]
    public StepData ShouldSeeObjectsWithMode(string role, string octalMode)
    {
        string buffer = context.CurrentBuffer;
        var expected = (UnixFileMode)Convert.ToInt32(octalMode, 8);
        IReadOnlyList<BufferObjectFile> files = BufferObjectFiles.Of(buffer);
        var wrong = new List<string>();
        foreach (BufferObjectFile file in files)
        {
            if (!file.Exists)
            {
                wrong.Add($"{file.Kind} '{file.Path}' does not exist");
            }
            else if (file.Mode != expected)
            {
                wrong.Add($"{file.Kind} '{file.Path}' has mode {Octal(file.Mode!.Value)}");
            }
        }

        if (wrong.Count > 0)
        {
            throw new StepAssertionException($"Expected the objects of '{buffer}' with mode {octalMode}, but {string.Join("; ", wrong)}.");
        }

        return new StepData { ["buffer"] = buffer, ["paths"] = files.Select(f => f.Path).ToArray(), ["mode"] = octalMode };
    }

    [Then(Role + "should see no shared memory, semaphores or lock file of the buffer")]
    public StepData ShouldSeeNoObjects(string role)
    {
        string buffer = context.CurrentBuffer;
        string[] left = BufferObjectFiles.Of(buffer).Where(f => f.Exists).Select(f => $"{f.Kind} '{f.Path}'").ToArray();
        if (left.Length > 0)
        {
            throw new StepAssertionException($"Expected no OS object of '{buffer}' to be left, but {string.Join(", ", left)} still exists.");
        }

        return new StepData { ["buffer"] = buffer };
    }

    [Then(Role + "should see no OS object named after buffer " + Name)]
    public StepData ShouldSeeNothingNamedAfter(string role, string name)
    {
        string qualified = context.Qualify(name);
        IReadOnlyList<string> found = BufferObjectFiles.NamedAfter(qualified);
        if (found.Count > 0)
        {
            throw new StepAssertionException($"Expected nothing in /dev/shm or the lock directory named after '{qualified}', but found {string.Join(", ", found)}.");
        }

        return new StepData { ["buffer"] = qualified };
    }

    private static string Octal(UnixFileMode mode) => Convert.ToString((int)mode, 8).PadLeft(4, '0');
}
