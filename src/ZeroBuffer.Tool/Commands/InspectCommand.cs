using ZeroBuffer.Diagnostics;
using ZeroBuffer.Tool.Cli;

namespace ZeroBuffer.Tool.Commands;

/// <summary><c>zerobuffer inspect</c>: the OIEB as one JSON object with the PROTOCOL.md §2 field names.</summary>
internal static class InspectCommand
{
    public static int Run(string name)
    {
        try
        {
            BufferState state = BufferInspector.Inspect(name);
            JsonLine.Write(json =>
            {
                json.WriteNumber("oieb_size", state.OiebSize);
                json.WriteString("version", state.Version.ToString());
                json.WriteNumber("metadata_size", state.MetadataSize);
                json.WriteNumber("metadata_free_bytes", state.MetadataFreeBytes);
                json.WriteNumber("metadata_written_bytes", state.MetadataWrittenBytes);
                json.WriteNumber("payload_size", state.PayloadSize);
                json.WriteNumber("payload_free_bytes", state.PayloadFreeBytes);
                json.WriteNumber("payload_write_pos", state.PayloadWritePos);
                json.WriteNumber("payload_read_pos", state.PayloadReadPos);
                json.WriteNumber("payload_written_count", state.PayloadWrittenCount);
                json.WriteNumber("payload_read_count", state.PayloadReadCount);
                json.WriteNumber("writer_pid", state.WriterPid);
                json.WriteNumber("reader_pid", state.ReaderPid);
                json.WriteBoolean("reader_alive", state.ReaderAlive);
                json.WriteBoolean("writer_alive", state.WriterAlive);
            });
            return 0;
        }
        catch (Exception exception)
        {
            return ErrorReporter.Report(exception);
        }
    }
}
