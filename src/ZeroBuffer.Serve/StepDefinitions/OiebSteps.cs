using ZeroBuffer.Diagnostics;
using ZeroBuffer.Serve.StepDefinitions.Support;
using ZeroBuffer.Serve.Steps;
using static ZeroBuffer.Serve.StepDefinitions.Phrases;

namespace ZeroBuffer.Serve.StepDefinitions;

/// <summary>
/// Facts about the current buffer as any process sees them: its OIEB, semaphores and lock file, read
/// by name through the library's diagnostics API (features 01-03).
/// </summary>
public sealed class OiebSteps(ZeroBufferContext context)
{
    [Then(Role + "should see its pid recorded as the (writer|reader) in the OIEB")]
    public StepData ShouldSeeOwnPid(string role, PeerRole peer)
    {
        string buffer = context.CurrentBuffer;
        ulong pid = PidOf(BufferInspector.Inspect(buffer), peer);
        if (pid != (ulong)Environment.ProcessId)
        {
            throw new StepAssertionException($"Expected {Field(peer)} of '{buffer}' to be this worker's pid {Environment.ProcessId}, but it is {pid}.");
        }

        return new StepData { ["buffer"] = buffer, ["pid"] = pid };
    }

    [Then(Role + "should see a dead (writer|reader) pid recorded in the OIEB")]
    public StepData ShouldSeeDeadPid(string role, PeerRole peer)
    {
        string buffer = context.CurrentBuffer;
        ulong pid = PidOf(BufferInspector.Inspect(buffer), peer);
        if (pid == 0 || CrashSimulation.IsAlive(pid))
        {
            throw new StepAssertionException($"Expected {Field(peer)} of '{buffer}' to name a dead process, but it is {(pid == 0 ? "0 (none recorded)" : $"{pid}, a live process")}.");
        }

        return new StepData { ["buffer"] = buffer, ["pid"] = pid };
    }

    [Then(Role + "should see " + Count + " free payload bytes in the OIEB")]
    public StepData ShouldSeeFreeBytes(string role, ulong expected)
    {
        string buffer = context.CurrentBuffer;
        ulong free = BufferInspector.Inspect(buffer).PayloadFreeBytes;
        if (free != expected)
        {
            throw new StepAssertionException($"Expected {expected} free payload bytes in the OIEB of '{buffer}', but payload_free_bytes is {free}.");
        }

        return new StepData { ["buffer"] = buffer, ["freeBytes"] = free };
    }

    [Then(Role + "should see " + Count + " (space|frame) signals pending")]
    public StepData ShouldSeeSignalsPending(string role, int expected, SignalKind kind)
    {
        string buffer = context.CurrentBuffer;
        int value = BufferInspector.SemaphoreValue(buffer, written: kind == SignalKind.Frame);
        if (value != expected)
        {
            throw new StepAssertionException($"Expected {expected} {Describe(kind)} signals pending on '{buffer}', but the semaphore's value is {value}.");
        }

        return new StepData { ["buffer"] = buffer, ["pending"] = value };
    }

    [Then(Role + "should see stale resources of buffer " + Name)]
    public StepData ShouldSeeStaleResources(string role, string name)
    {
        string buffer = context.Qualify(name);
        var missing = new List<string>();
        string lockFile = BufferInspector.LockFilePath(buffer);
        if (!File.Exists(lockFile))
        {
            missing.Add($"the lock file '{lockFile}'");
        }
        else if (BufferInspector.IsLockFileHeld(buffer))
        {
            throw new StepAssertionException($"Expected the lock file '{lockFile}' of '{buffer}' to be stale, but someone holds it.");
        }

        if (!BufferInspector.SharedMemoryExists(buffer))
        {
            missing.Add($"/dev/shm/{buffer}");
        }

        foreach (bool written in (bool[])[true, false])
        {
            if (!BufferInspector.SemaphoreExists(buffer, written))
            {
                missing.Add($"sem.sem-{(written ? 'w' : 'r')}-{buffer}");
            }
        }

        if (missing.Count > 0)
        {
            throw new StepAssertionException($"Expected stale resources of '{buffer}', but {string.Join(", ", missing)} is missing.");
        }

        ulong readerPid = BufferInspector.Inspect(buffer).ReaderPid;
        if (CrashSimulation.IsAlive(readerPid))
        {
            throw new StepAssertionException($"Expected the stale buffer '{buffer}' to record a dead reader, but reader_pid {readerPid} is alive.");
        }

        return new StepData { ["buffer"] = buffer, ["readerPid"] = readerPid };
    }

    [Then(Role + "should see a fresh buffer " + Name + " with payload size " + Int)]
    public StepData ShouldSeeFreshBuffer(string role, string name, long payloadSize)
    {
        string buffer = context.Qualify(name);
        BufferState state = BufferInspector.Inspect(buffer);
        ulong size = (ulong)payloadSize;
        var wrong = new List<string>();
        Expect(wrong, "payload_size", state.PayloadSize, size);
        Expect(wrong, "payload_free_bytes", state.PayloadFreeBytes, size);
        Expect(wrong, "payload_write_pos", state.PayloadWritePos, 0);
        Expect(wrong, "payload_read_pos", state.PayloadReadPos, 0);
        Expect(wrong, "payload_written_count", state.PayloadWrittenCount, 0);
        Expect(wrong, "payload_read_count", state.PayloadReadCount, 0);
        Expect(wrong, "reader_pid", state.ReaderPid, (ulong)Environment.ProcessId);
        Expect(wrong, "sem-w value", (ulong)BufferInspector.SemaphoreValue(buffer, written: true), 0);
        if (wrong.Count > 0)
        {
            throw new StepAssertionException($"Expected a fresh buffer '{buffer}' with payload size {payloadSize}, but {string.Join(", ", wrong)}.");
        }

        return new StepData { ["buffer"] = buffer, ["payloadSize"] = payloadSize, ["readerPid"] = state.ReaderPid };
    }

    private static void Expect(List<string> wrong, string field, ulong actual, ulong expected)
    {
        if (actual != expected)
        {
            wrong.Add($"{field} is {actual} (expected {expected})");
        }
    }

    private static ulong PidOf(BufferState state, PeerRole peer) => peer == PeerRole.Writer ? state.WriterPid : state.ReaderPid;

    private static string Field(PeerRole peer) => peer == PeerRole.Writer ? "writer_pid" : "reader_pid";

    private static string Describe(SignalKind kind) => kind == SignalKind.Frame ? "frame (sem-w)" : "space (sem-r)";
}
