// Creating, connecting and closing (PROTOCOL.md section 5), with real processes for crashes.
#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <condition_variable>
#include <cstring>
#include <filesystem>
#include <functional>
#include <mutex>
#include <string_view>
#include <thread>

#include <gtest/gtest.h>

#include "test_support.hpp"
#include "zerobuffer/detail/shared_memory.hpp"
#include "zerobuffer/inspect.hpp"
#include "zerobuffer/logger.hpp"
#include "zerobuffer/zerobuffer.hpp"

using namespace std::chrono_literals;
using zerobuffer::BufferConfig;
using zerobuffer::Reader;
using zerobuffer::Writer;

namespace {

bool shm_exists(const std::string& name) { return std::filesystem::exists("/dev/shm/" + name); }
bool lock_exists(const std::string& name) {
    return std::filesystem::exists(zerobuffer::lock_directory() + "/" + name + ".lock");
}

// Runs body in a forked child that reports "ready" through a pipe and then SIGKILLs itself, as a
// crash would: no destructor runs. Returns once the child is dead and reaped.
void run_and_crash(const std::function<void()>& body) {
    int fds[2];
    ASSERT_EQ(::pipe(fds), 0);
    pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
        ::close(fds[0]);
        char ok = 'n';
        try {
            body();
            ok = 'y';
        } catch (...) {
        }
        (void)!::write(fds[1], &ok, 1);
        ::kill(::getpid(), SIGKILL);
        ::_exit(99);
    }
    ::close(fds[1]);
    char ok = 0;
    ASSERT_EQ(::read(fds[0], &ok, 1), 1);
    ::close(fds[0]);
    int status = 0;
    ASSERT_EQ(::waitpid(pid, &status, 0), pid);
    ASSERT_TRUE(WIFSIGNALED(status));
    ASSERT_EQ(ok, 'y') << "the child's body threw";
}

void write_pattern(Writer& writer, std::size_t size) {
    std::uint64_t seq = 0;
    auto* p = static_cast<std::uint8_t*>(writer.get_frame_buffer(size, seq));
    zbtest::fill_pattern(p, size, seq);
    writer.commit_frame();
}

}  // namespace

TEST(Lifecycle, ReaderCloseRemovesEverything) {
    auto name = zbtest::buffer_name("close");
    {
        Reader reader(name, BufferConfig(1024, 10240));
        EXPECT_TRUE(shm_exists(name));
        EXPECT_TRUE(std::filesystem::exists("/dev/shm/sem.sem-w-" + name));
        EXPECT_TRUE(std::filesystem::exists("/dev/shm/sem.sem-r-" + name));
        EXPECT_TRUE(lock_exists(name));
        struct stat st {};
        ASSERT_EQ(::stat(("/dev/shm/" + name).c_str(), &st), 0);
        EXPECT_EQ(st.st_mode & 0777, 0600u);
        ASSERT_EQ(::stat(("/dev/shm/sem.sem-w-" + name).c_str(), &st), 0);
        EXPECT_EQ(st.st_mode & 0077, 0u);
    }
    EXPECT_TRUE(zbtest::leftovers(name).empty());
}

TEST(Lifecycle, InvalidNamesAreRejectedBeforeAnyOsCall) {
    for (const std::string& bad : std::vector<std::string>{"", "bad/name", "../escape", "white space", ".hidden", std::string(201, 'a'), "ü"}) {
        EXPECT_THROW(Reader(bad, BufferConfig()), zerobuffer::InvalidBufferNameException) << bad;
        EXPECT_THROW(Writer{bad}, zerobuffer::InvalidBufferNameException) << bad;
    }
    EXPECT_TRUE(zerobuffer::is_valid_buffer_name(std::string(200, 'a')));
    EXPECT_TRUE(zerobuffer::is_valid_buffer_name("a.b_c-9"));
}

TEST(Lifecycle, InvalidConfigIsRejected) {
    auto name = zbtest::buffer_name("config");
    EXPECT_THROW(Reader(name, BufferConfig(1024, 0)), zerobuffer::InvalidConfigException);
    EXPECT_THROW(Reader(name, BufferConfig(std::size_t{1} << 50, 1024)), zerobuffer::InvalidConfigException);
    EXPECT_TRUE(zbtest::leftovers(name).empty());
}

TEST(Lifecycle, SecondReaderIsRejectedAndFirstKeepsWorking) {
    auto name = zbtest::buffer_name("second-reader");
    Reader reader(name, BufferConfig(0, 1024));
    EXPECT_THROW(Reader(name, BufferConfig(0, 1024)), zerobuffer::ReaderAlreadyConnectedException);
    Writer writer(name);
    write_pattern(writer, 10);
    EXPECT_TRUE(reader.read_frame(1000ms).valid());
}

// Installs a log sink that signals the reader's "lock file held ... retrying" line; restores the default.
class RetryLogWatch {
public:
    RetryLogWatch() {
        std::lock_guard lock(mutex_);
        seen_ = false;
        zerobuffer::set_log_sink(&RetryLogWatch::sink);
    }
    ~RetryLogWatch() { zerobuffer::set_log_sink(nullptr); }
    RetryLogWatch(const RetryLogWatch&) = delete;
    RetryLogWatch& operator=(const RetryLogWatch&) = delete;

    static bool wait(std::chrono::milliseconds timeout) {
        std::unique_lock lock(mutex_);
        return changed_.wait_for(lock, timeout, [] { return seen_; });
    }

private:
    static void sink(zerobuffer::LogLevel, std::string_view message) {
        if (message.find("retrying") == std::string_view::npos) return;
        std::lock_guard lock(mutex_);
        seen_ = true;
        changed_.notify_all();
    }

    static inline std::mutex mutex_;
    static inline std::condition_variable changed_;
    static inline bool seen_ = false;
};

// What another process's stale sweep does: it holds a lock file for a moment while it checks the buffer.
TEST(Lifecycle, LockHeldBrieflyWithoutALiveReaderIsWaitedFor) {
    auto name = zbtest::buffer_name("brief-lock");
    std::filesystem::create_directories(zerobuffer::lock_directory());
    const std::string path = zerobuffer::lock_directory() + "/" + name + ".lock";
    int fd = ::open(path.c_str(), O_CREAT | O_RDWR, 0600);
    ASSERT_GE(fd, 0);
    ASSERT_EQ(::flock(fd, LOCK_EX), 0);
    // Released once the reader has found the lock held and logged that it retries: an event, not a sleep.
    RetryLogWatch watch;
    bool retried = false;
    std::thread releaser([fd, &retried] {
        retried = RetryLogWatch::wait(30s);
        ::close(fd);
    });
    { Reader reader(name, BufferConfig(1024, 10240)); }
    releaser.join();
    EXPECT_TRUE(retried) << "the reader never found the lock held";
    EXPECT_FALSE(shm_exists(name));
    EXPECT_FALSE(lock_exists(name));
}

TEST(Lifecycle, LockHeldForGoodWithoutALiveReaderFailsAfterTheRetry) {
    auto name = zbtest::buffer_name("held-lock");
    std::filesystem::create_directories(zerobuffer::lock_directory());
    const std::string path = zerobuffer::lock_directory() + "/" + name + ".lock";
    int fd = ::open(path.c_str(), O_CREAT | O_RDWR, 0600);
    ASSERT_GE(fd, 0);
    ASSERT_EQ(::flock(fd, LOCK_EX), 0);
    auto started = std::chrono::steady_clock::now();
    EXPECT_THROW(Reader(name, BufferConfig(1024, 10240)), zerobuffer::ReaderAlreadyConnectedException);
    EXPECT_GE(std::chrono::steady_clock::now() - started, 200ms);
    ::close(fd);
    std::filesystem::remove(path);
}

TEST(Lifecycle, LiveBufferIsNeverTakenOverEvenWithoutItsLockFile) {
    auto name = zbtest::buffer_name("live");
    Reader reader(name, BufferConfig(0, 1024));
    std::filesystem::remove(zerobuffer::lock_directory() + "/" + name + ".lock");
    EXPECT_THROW(Reader(name, BufferConfig(0, 2048)), zerobuffer::ReaderAlreadyConnectedException);
    EXPECT_TRUE(shm_exists(name));
    EXPECT_FALSE(lock_exists(name)) << "the failed reader must undo its lock file";
    EXPECT_EQ(zerobuffer::inspect_buffer(name).oieb.payload_size, 1024u);
    Writer writer(name);
    write_pattern(writer, 10);
    EXPECT_TRUE(reader.read_frame(1000ms).valid());
}

TEST(Lifecycle, StaleBufferOfCrashedReaderIsReclaimed) {
    auto name = zbtest::buffer_name("stale");
    run_and_crash([&] { new Reader(name, BufferConfig(1024, 10240)); });
    EXPECT_TRUE(shm_exists(name));
    EXPECT_TRUE(lock_exists(name));
    EXPECT_FALSE(zerobuffer::inspect_buffer(name).reader_alive);
    EXPECT_THROW(Writer{name}, zerobuffer::ReaderDeadException);
    Reader reader(name, BufferConfig(1024, 20480));
    EXPECT_EQ(zerobuffer::inspect_buffer(name).oieb.payload_size, 20480u);
    Writer writer(name);
    write_pattern(writer, 15000);
    auto f = reader.read_frame(1000ms);
    ASSERT_TRUE(f.valid());
    EXPECT_EQ(f.sequence(), 1u);
    EXPECT_EQ(f.size(), 15000u);
}

TEST(Lifecycle, SweepReclaimsOtherStaleBuffers) {
    auto stale = zbtest::buffer_name("sweep-stale");
    run_and_crash([&] { new Reader(stale, BufferConfig(0, 1024)); });
    ASSERT_TRUE(shm_exists(stale));
    auto other = zbtest::buffer_name("sweep-new");
    Reader reader(other, BufferConfig(0, 1024));
    EXPECT_FALSE(shm_exists(stale));
    EXPECT_FALSE(lock_exists(stale));
    EXPECT_TRUE(zbtest::leftovers(stale).empty());
}

TEST(Lifecycle, SweepKeepsBuffersWithALiveWriter) {
    auto name = zbtest::buffer_name("sweep-writer");
    // The reader dies; a writer (this process) is still attached, so the sweep leaves it alone.
    int fds[2];
    ASSERT_EQ(::pipe(fds), 0);
    int go[2];
    ASSERT_EQ(::pipe(go), 0);
    pid_t pid = ::fork();
    if (pid == 0) {
        new Reader(name, BufferConfig(0, 1024));
        char c = 'y';
        (void)!::write(fds[1], &c, 1);
        (void)!::read(go[0], &c, 1);
        ::kill(::getpid(), SIGKILL);
    }
    char c = 0;
    ASSERT_EQ(::read(fds[0], &c, 1), 1);
    auto writer = std::make_unique<Writer>(name);
    (void)!::write(go[1], &c, 1);
    ::waitpid(pid, nullptr, 0);
    for (int fd : {fds[0], fds[1], go[0], go[1]}) ::close(fd);
    Reader other(zbtest::buffer_name("sweep-other"), BufferConfig(0, 1024));
    EXPECT_TRUE(shm_exists(name));
    EXPECT_FALSE(writer->is_reader_connected());
    writer.reset();
    zbtest::remove_leftovers(name);
}

TEST(Lifecycle, WriterWithoutBufferGetsBufferNotFound) {
    EXPECT_THROW(Writer{zbtest::buffer_name("missing")}, zerobuffer::BufferNotFoundException);
}

TEST(Lifecycle, UnpublishedOiebLooksLikeNoBuffer) {
    auto name = zbtest::buffer_name("unpublished");
    zerobuffer::detail::SharedMemory shm;
    ASSERT_EQ(zerobuffer::detail::SharedMemory::create("/" + name, 128 + 1024, shm),
              zerobuffer::detail::SharedMemory::CreateResult::Created);
    EXPECT_THROW(Writer{name}, zerobuffer::BufferNotFoundException);
    auto& o = *reinterpret_cast<zerobuffer::Oieb*>(shm.data());
    o.reader_pid = static_cast<std::uint64_t>(::getpid());
    EXPECT_THROW(Writer{name}, zerobuffer::BufferNotFoundException);
    EXPECT_EQ(o.writer_pid, 0u) << "a failed connect leaves no trace";
    zerobuffer::detail::SharedMemory::unlink("/" + name);
}

TEST(Lifecycle, CorruptOiebIsDetectedByTheWriter) {
    struct Case {
        const char* what;
        std::function<void(zerobuffer::Oieb&)> corrupt;
        bool version;
    };
    const Case cases[] = {
        {"oieb_size 64", [](zerobuffer::Oieb& o) { o.oieb_size = 64; }, false},
        {"major 2", [](zerobuffer::Oieb& o) { o.version.major = 2; }, true},
        {"payload_size", [](zerobuffer::Oieb& o) { o.payload_size = 4096; }, false},
        {"metadata_size", [](zerobuffer::Oieb& o) { o.metadata_size = 65; }, false},
        {"payload_size 0", [](zerobuffer::Oieb& o) { o.payload_size = 0; }, false},
    };
    for (const auto& c : cases) {
        auto name = zbtest::buffer_name("oieb");
        Reader reader(name, BufferConfig(0, 1024));
        zerobuffer::detail::SharedMemory shm;
        ASSERT_TRUE(zerobuffer::detail::SharedMemory::open("/" + name, shm));
        auto& o = *reinterpret_cast<zerobuffer::Oieb*>(shm.data());
        c.corrupt(o);
        if (c.version) {
            EXPECT_THROW(Writer{name}, zerobuffer::ProtocolVersionMismatchException) << c.what;
        } else {
            EXPECT_THROW(Writer{name}, zerobuffer::InvalidOiebException) << c.what;
        }
        EXPECT_EQ(o.writer_pid, 0u) << c.what;
    }
}

TEST(Lifecycle, SecondWriterIsRejected) {
    auto name = zbtest::buffer_name("second-writer");
    Reader reader(name, BufferConfig(0, 1024));
    Writer writer(name);
    EXPECT_TRUE(reader.is_writer_connected());
    EXPECT_THROW(Writer{name}, zerobuffer::WriterAlreadyConnectedException);
    write_pattern(writer, 10);
    auto f = reader.read_frame(1000ms);
    ASSERT_TRUE(f.valid());
    EXPECT_EQ(f.sequence(), 1u);
}

TEST(Lifecycle, WriterReconnectAfterCloseRestartsSequence) {
    auto name = zbtest::buffer_name("reconnect");
    Reader reader(name, BufferConfig(0, 4096));
    {
        Writer writer(name);
        write_pattern(writer, 10);
        EXPECT_TRUE(reader.is_writer_connected());
    }
    EXPECT_FALSE(reader.is_writer_connected());
    EXPECT_EQ(zerobuffer::inspect_buffer(name).oieb.writer_pid, 0u);
    EXPECT_EQ(reader.read_frame(1000ms).sequence(), 1u);
    EXPECT_THROW((void)reader.read_frame(100ms), zerobuffer::WriterDeadException);
    run_and_crash([&] {
        Writer w(name);
        write_pattern(w, 10);
        write_pattern(w, 10);
    });
    EXPECT_EQ(reader.read_frame(1000ms).sequence(), 1u);
    EXPECT_EQ(reader.read_frame(1000ms).sequence(), 2u);
}

TEST(Lifecycle, ReaderSeesKilledWriterAsDead) {
    auto name = zbtest::buffer_name("writer-crash");
    Reader reader(name, BufferConfig(1024, 10240));
    run_and_crash([&] {
        Writer w(name);
        auto md = zbtest::metadata_pattern(100);
        w.set_metadata(md.data(), md.size());
        write_pattern(w, 1024);
    });
    EXPECT_EQ(reader.get_metadata(), zbtest::metadata_pattern(100));
    auto f = reader.read_frame(1000ms);
    ASSERT_TRUE(f.valid());
    EXPECT_EQ(f.sequence(), 1u);
    f.release();
    EXPECT_FALSE(reader.is_writer_connected());
    EXPECT_THROW((void)reader.read_frame(200ms), zerobuffer::WriterDeadException);
}

TEST(Lifecycle, WriterSeesKilledReaderAsDead) {
    auto name = zbtest::buffer_name("reader-crash");
    int ready[2];
    int go[2];
    ASSERT_EQ(::pipe(ready), 0);
    ASSERT_EQ(::pipe(go), 0);
    pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
        new Reader(name, BufferConfig(1024, 10240));
        char c = 'y';
        (void)!::write(ready[1], &c, 1);
        (void)!::read(go[0], &c, 1);
        ::kill(::getpid(), SIGKILL);
    }
    char c = 0;
    ASSERT_EQ(::read(ready[0], &c, 1), 1);
    {
        Writer writer(name);
        writer.set_write_timeout(300ms);
        EXPECT_TRUE(writer.is_reader_connected());
        write_pattern(writer, 10224);
        (void)!::write(go[1], &c, 1);
        ::waitpid(pid, nullptr, 0);
        EXPECT_FALSE(writer.is_reader_connected());
        EXPECT_THROW(write_pattern(writer, 1024), zerobuffer::ReaderDeadException);
    }
    for (int fd : {ready[0], ready[1], go[0], go[1]}) ::close(fd);
    zbtest::remove_leftovers(name);
}

TEST(Lifecycle, ConnectToDeadReaderFails) {
    auto name = zbtest::buffer_name("dead-reader");
    run_and_crash([&] { new Reader(name, BufferConfig(0, 1024)); });
    EXPECT_THROW(Writer{name}, zerobuffer::ReaderDeadException);
    zbtest::remove_leftovers(name);
}
