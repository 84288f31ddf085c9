using ZeroBuffer.Diagnostics;
using ZeroBuffer.Layout;
using ZeroBuffer.Platform;
using Xunit.Abstractions;
using ZeroBuffer.Tests.Support;

namespace ZeroBuffer.Tests;

[Collection(ZeroBufferCollection.Name)]
public sealed class ConnectionTests(ITestOutputHelper output)
{
    [Fact]
    public void A_writer_without_a_buffer_gets_BufferNotFound_naming_it()
    {
        string name = Some.ShmName();

        var error = Assert.Throws<BufferNotFoundException>(() => new Writer(name));

        Assert.Contains(name, error.Message);
        Assert.Equal("BufferNotFound", error.Kind);
        Assert.Empty(StaleBuffer.Leftovers(name));
    }

    [Fact]
    public void A_second_reader_is_refused_and_the_first_keeps_working()
    {
        string name = Some.ShmName();
        using var reader = new Reader(name, Some.Config());

        var error = Assert.Throws<ReaderAlreadyConnectedException>(() => new Reader(name, Some.Config(payloadSize: 20480)));
        Assert.Contains(name, error.Message);

        using var writer = new Writer(name);
        writer.WriteFrame(Some.FrameData(1, 1024));
        using Frame frame = reader.ReadFrame();
        Assert.Equal(1UL, frame.Sequence);
        Assert.Equal(4, StaleBuffer.Leftovers(name).Length);
    }

    [Fact]
    public void A_live_buffer_whose_lock_file_vanished_is_still_never_taken_over()
    {
        string name = Some.ShmName();
        using var reader = new Reader(name, Some.Config());
        File.Delete(LockDirectory.LockFilePath(name));

        Assert.Throws<ReaderAlreadyConnectedException>(() => new Reader(name, Some.Config()));

        using var writer = new Writer(name);
        writer.WriteFrame(Some.FrameData(1, 10));
        using Frame frame = reader.ReadFrame();
        Assert.True(frame.IsValid);
    }

    [Fact]
    public void A_second_writer_is_refused_and_leaves_no_trace()
    {
        string name = Some.ShmName();
        using var reader = new Reader(name, Some.Config());
        using var writer = new Writer(name);

        var error = Assert.Throws<WriterAlreadyConnectedException>(() => new Writer(name));
        Assert.Contains(name, error.Message);

        writer.WriteFrame(Some.FrameData(1, 1024));
        using Frame frame = reader.ReadFrame();
        Assert.Equal(1UL, frame.Sequence);
        Assert.Equal((ulong)Environment.ProcessId, BufferInspector.Inspect(name).WriterPid);
    }

    [Fact]
    public void A_writer_whose_reader_left_gets_ReaderDead()
    {
        string name = Some.ShmName();
        StaleBuffer.Create(name);
        try
        {
            var error = Assert.Throws<ReaderDeadException>(() => new Writer(name));
            Assert.Contains(name, error.Message);
            Assert.Equal(0UL, BufferInspector.Inspect(name).WriterPid); // a failed connect leaves no trace
        }
        finally
        {
            StaleBuffer.Remove(name);
        }
    }

    [Fact]
    public void A_writer_replaces_a_dead_writer()
    {
        string name = Some.ShmName();
        using var reader = new Reader(name, Some.Config());
        using (var probe = new ShmProbe(name))
        {
            probe.WriteU64(Oieb.WriterPidOffset, StaleBuffer.DeadPid);
        }

        using var writer = new Writer(name);
        Assert.Equal((ulong)Environment.ProcessId, BufferInspector.Inspect(name).WriterPid);
    }

    [Fact]
    public void A_writer_racing_reader_creation_gets_BufferNotFound_or_a_working_connection()
    {
        const int iterations = 150;
        int totalNotFound = 0;
        int midCreation = 0;
        for (int i = 0; i < iterations; i++)
        {
            string name = Some.ShmName($"Race{i}");
            Exception? unexpected = null;
            int notFound = 0;
            using var started = new ManualResetEventSlim();
            var writerThread = new Thread(() =>
            {
                started.Set();
                var deadline = DateTime.UtcNow.AddSeconds(10);
                while (DateTime.UtcNow < deadline)
                {
                    try
                    {
                        using var writer = new Writer(name);
                        writer.WriteFrame(Some.FrameData(1, 64));
                        return;
                    }
                    catch (BufferNotFoundException e)
                    {
                        notFound++;
                        if (e.Message.Contains("still creating", StringComparison.Ordinal))
                        {
                            Interlocked.Increment(ref midCreation);
                        }
                    }
                    catch (Exception e)
                    {
                        unexpected = e;
                        return;
                    }
                }

                unexpected = new TimeoutException("writer never connected");
            });
            writerThread.Start();
            started.Wait();
            if (i % 2 == 0)
            {
                Thread.SpinWait(i * 50); // vary where in the creation the writer strikes
            }

            using (var reader = new Reader(name, Some.Config(payloadSize: 4096)))
            {
                writerThread.Join();
                Assert.Null(unexpected);

                // The writer connected and closed; its frame must be intact.
                using Frame frame = reader.ReadFrame(TimeSpan.FromSeconds(5));
                Assert.True(frame.IsValid, $"iteration {i}: no frame");
                Assert.Equal(1UL, frame.Sequence);
                Assert.True(Some.MatchesFrame(frame.Span, 1));
            }

            Assert.Empty(StaleBuffer.Leftovers(name));
            totalNotFound += notFound;
        }

        // The writer must really have raced the creation, or this test proved nothing.
        Assert.True(totalNotFound > 0, "the writer never tried before the reader was ready");
        output.WriteLine($"race: {totalNotFound} BufferNotFound, {midCreation} of them while the reader was still creating the buffer");
    }

    [Fact]
    public void A_reader_that_fails_half_way_undoes_every_earlier_step()
    {
        // A directory where the second semaphore must go makes sem_open fail after the shm, the first
        // semaphore and the lock file exist; all three must be gone afterwards.
        string name = Some.ShmName();
        string blocker = $"/dev/shm/sem.sem-r-{name}";
        Directory.CreateDirectory(blocker);
        try
        {
            var error = Assert.ThrowsAny<ZeroBufferException>(() => new Reader(name, Some.Config()));
            Assert.Contains("/sem-r-" + name, error.Message);
            Assert.False(File.Exists($"/dev/shm/{name}"));
            Assert.False(File.Exists($"/dev/shm/sem.sem-w-{name}"));
            Assert.False(File.Exists(LockDirectory.LockFilePath(name)));
        }
        finally
        {
            Directory.Delete(blocker);
        }
    }

    [Fact]
    public void Of_two_writers_connecting_at_once_exactly_one_wins()
    {
        for (int i = 0; i < 30; i++)
        {
            string name = Some.ShmName($"TwoWriters{i}");
            using var reader = new Reader(name, Some.Config());
            using var barrier = new Barrier(2);
            var outcomes = new Writer?[2];
            var errors = new Exception?[2];
            Thread[] threads = Enumerable.Range(0, 2).Select(k => new Thread(() =>
            {
                barrier.SignalAndWait();
                try
                {
                    outcomes[k] = new Writer(name);
                }
                catch (Exception e)
                {
                    errors[k] = e;
                }
            })).ToArray();
            foreach (Thread t in threads)
            {
                t.Start();
            }

            foreach (Thread t in threads)
            {
                t.Join();
            }

            Assert.Single(outcomes, w => w is not null);
            Assert.IsType<WriterAlreadyConnectedException>(Assert.Single(errors, e => e is not null));
            foreach (Writer? w in outcomes)
            {
                w?.Dispose();
            }
        }
    }

    [Fact]
    public void A_lock_held_briefly_by_another_process_stale_check_does_not_refuse_a_new_reader()
    {
        string name = Some.ShmName();
        LockDirectory.EnsureExists(name);
        string path = LockDirectory.LockFilePath(name);
        LockFile cleaner = LockFile.TryAcquire(path, name)!;
        var log = new ListLogger<Reader>();
        bool retried = false;
        var release = new Thread(() =>
        {
            // Released once the reader has found the lock held and started retrying (log event 9).
            retried = log.WaitForEvent(9, TimeSpan.FromSeconds(30));
            cleaner.Dispose();
        });
        release.Start();

        using var reader = new Reader(name, Some.Config(), log);
        release.Join();
        Assert.True(retried, "the reader never found the lock held");
        Assert.True(reader.GetMetadata().IsEmpty);
    }

    [Fact]
    public void A_lock_held_for_long_without_a_live_reader_is_ReaderAlreadyConnected()
    {
        string name = Some.ShmName();
        LockDirectory.EnsureExists(name);
        string path = LockDirectory.LockFilePath(name);
        using LockFile holder = LockFile.TryAcquire(path, name)!;
        var watch = System.Diagnostics.Stopwatch.StartNew();

        Assert.Throws<ReaderAlreadyConnectedException>(() => new Reader(name, Some.Config()));

        Assert.InRange(watch.ElapsedMilliseconds, 200, 3000);
        holder.DeleteAndRelease();
    }

    [Fact]
    public void A_second_reader_of_a_live_buffer_is_refused_without_waiting()
    {
        string name = Some.ShmName();
        using var reader = new Reader(name, Some.Config());
        var watch = System.Diagnostics.Stopwatch.StartNew();

        Assert.Throws<ReaderAlreadyConnectedException>(() => new Reader(name, Some.Config()));

        Assert.True(watch.ElapsedMilliseconds < 200, $"took {watch.ElapsedMilliseconds} ms");
    }
}
