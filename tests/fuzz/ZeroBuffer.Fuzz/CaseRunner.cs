using System.Text.Json.Nodes;
using ZeroBuffer.Diagnostics;

namespace ZeroBuffer.Fuzz;

/// <summary>Runs one fuzz case the way every language's harness does (tests/fuzz/README.md).</summary>
internal static class CaseRunner
{
    private static int s_sink;

    internal static JsonObject Run(JsonObject c)
    {
        string name = (string)c["name"]!;
        int frameSize = (int)c["frame_size"]!;
        var readTimeout = TimeSpan.FromMilliseconds((int)c["read_timeout_ms"]!);
        var writeTimeout = TimeSpan.FromMilliseconds((int)c["write_timeout_ms"]!);
        var result = new JsonObject { ["id"] = (int)c["id"]! };
        using var reader = new Reader(name, new BufferConfig((int)c["metadata_size"]!, (int)c["payload_size"]!));
        Writer? writer = null;
        try
        {
            if ((string)c["phase"]! == "mid-stream")
            {
                writer = new Writer(name) { WriteTimeout = writeTimeout };
                if ((bool)c["metadata_before"]!)
                {
                    writer.SetMetadata(Enumerable.Repeat((byte)0xA5, 16).ToArray());
                }

                int framesBefore = (int)c["frames_before"]!;
                int readsBefore = (int)c["reads_before"]!;
                for (int k = 0; k < framesBefore; k++)
                {
                    writer.WriteFrame(FrameBytes(frameSize, k));
                    if (k < readsBefore)
                    {
                        ReadOne(reader, readTimeout);
                    }
                }
            }

            foreach (JsonNode? edit in c["edits"]!.AsArray())
            {
                Apply(name, edit!.AsObject());
            }

            writer ??= new Writer(name) { WriteTimeout = writeTimeout };
            foreach (JsonNode? op in c["ops"]!.AsArray())
            {
                switch ((string)op!)
                {
                    case "write":
                        writer.WriteFrame(FrameBytes(frameSize, 7));
                        break;
                    case "read":
                        ReadOne(reader, readTimeout);
                        break;
                    case "metadata_read":
                        s_sink += Checksum(reader.GetMetadata());
                        break;
                    default:
                        writer.SetMetadata("fuzzmeta"u8);
                        break;
                }
            }

            result["outcome"] = "ok";
        }
        catch (ZeroBufferException e)
        {
            result["outcome"] = "error";
            result["kind"] = e.Kind;
            result["message"] = e.Message;
        }
        catch (Exception e)
        {
            result["outcome"] = "unexpected";
            result["kind"] = e.GetType().FullName;
            result["message"] = e.ToString();
        }
        finally
        {
            writer?.Dispose();
        }

        return result;
    }

    private static void Apply(string name, JsonObject edit)
    {
        switch ((string)edit["kind"]!)
        {
            case "oieb":
                BufferEditor.WriteOiebField(name, (string)edit["field"]!, (ulong)edit["value"]!);
                break;
            case "payload":
                BufferEditor.WriteRegionBytes(name, BufferRegion.Payload, (long)edit["offset"]!, Convert.FromHexString((string)edit["hex"]!));
                break;
            case "metadata":
                BufferEditor.WriteRegionBytes(name, BufferRegion.Metadata, (long)edit["offset"]!, Convert.FromHexString((string)edit["hex"]!));
                break;
            default:
                BufferEditor.PostSemaphore(name, (bool)edit["written"]!, (int)edit["count"]!);
                break;
        }
    }

    private static void ReadOne(Reader reader, TimeSpan timeout)
    {
        using Frame frame = reader.ReadFrame(timeout);
        if (frame.IsValid)
        {
            s_sink += Checksum(frame.Span); // touch every byte handed out
        }
    }

    private static int Checksum(ReadOnlySpan<byte> data)
    {
        int sum = 0;
        foreach (byte b in data)
        {
            sum += b;
        }

        return sum;
    }

    private static byte[] FrameBytes(int size, int salt)
    {
        var data = new byte[size];
        for (int i = 0; i < size; i++)
        {
            data[i] = (byte)(salt + i);
        }

        return data;
    }
}
