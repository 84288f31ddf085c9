using ZeroBuffer.Diagnostics;

namespace ZeroBuffer.Serve.StepDefinitions.Support;

/// <summary>
/// Leaves a reader or writer as a killed process would (STEPS.md "Same-process crashes"): its
/// descriptors closed, nothing unlinked, no OIEB field reset, and its pid field naming a dead process.
/// </summary>
public static class Abandonment
{
    public static void Abandon(Reader reader)
    {
        CrashSimulation.Abandon(reader);
        MarkDead(reader.Name, "reader_pid");
    }

    public static void Abandon(Writer writer)
    {
        CrashSimulation.Abandon(writer);
        MarkDead(writer.Name, "writer_pid");
    }

    private static void MarkDead(string buffer, string pidField)
    {
        try
        {
            BufferEditor.WriteOiebField(buffer, pidField, (ulong)CrashSimulation.DeadPid());
        }
        catch (BufferNotFoundException)
        {
            // The reader already removed the buffer: there is no pid left to make dead.
        }
    }
}
