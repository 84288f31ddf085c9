// Edge cases of the library's building blocks that the ring-buffer tests never reach: the log sink,
// every error kind thrown by kind, the errno table's remaining rows, and the POSIX wrappers' moves,
// failures and cleanup (a failed create must leave nothing behind).
#include <sys/mman.h>
#include <sys/statvfs.h>
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <filesystem>
#include <iostream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "test_support.hpp"
#include "zerobuffer/detail/errno_mapping.hpp"
#include "zerobuffer/detail/file_lock.hpp"
#include "zerobuffer/detail/named_semaphore.hpp"
#include "zerobuffer/detail/shared_memory.hpp"
#include "zerobuffer/errors.hpp"
#include "zerobuffer/logger.hpp"
#include "zerobuffer/reader.hpp"

using zerobuffer::ErrorKind;
using zerobuffer::LogLevel;
using zerobuffer::ZeroBufferException;
using zerobuffer::detail::FileLock;
using zerobuffer::detail::NamedSemaphore;
using zerobuffer::detail::SharedMemory;

namespace {

std::vector<std::pair<LogLevel, std::string>> g_logged;

void record(LogLevel level, std::string_view message) { g_logged.emplace_back(level, std::string(message)); }

// Installs the recording sink for one test and restores the std::cerr default afterwards.
class LogCapture : public ::testing::Test {
protected:
    void SetUp() override {
        g_logged.clear();
        zerobuffer::set_log_sink(&record);
    }
    void TearDown() override { zerobuffer::set_log_sink(nullptr); }
};

// Redirects std::cerr into a string for the lifetime of the object.
class CerrCapture {
public:
    CerrCapture() : old_(std::cerr.rdbuf(text_.rdbuf())) {}
    ~CerrCapture() { std::cerr.rdbuf(old_); }
    CerrCapture(const CerrCapture&) = delete;
    CerrCapture& operator=(const CerrCapture&) = delete;
    std::string str() const { return text_.str(); }

private:
    std::ostringstream text_;
    std::streambuf* old_;
};

std::string shm_path(const std::string& hint) { return "/" + zbtest::buffer_name(hint); }

}  // namespace

// --- logging -------------------------------------------------------------------------------------

TEST(LoggerEdges, LevelNamesAreLowerCase) {
    EXPECT_STREQ(zerobuffer::to_string(LogLevel::Debug), "debug");
    EXPECT_STREQ(zerobuffer::to_string(LogLevel::Info), "info");
    EXPECT_STREQ(zerobuffer::to_string(LogLevel::Warning), "warning");
    EXPECT_STREQ(zerobuffer::to_string(LogLevel::Error), "error");
}

TEST_F(LogCapture, AnInstalledSinkReceivesEveryLevelIncludingDebug) {
    zerobuffer::detail::log(LogLevel::Debug, "quiet detail");
    zerobuffer::detail::log(LogLevel::Error, "loud failure");

    ASSERT_EQ(g_logged.size(), 2U);
    EXPECT_EQ(g_logged[0], std::make_pair(LogLevel::Debug, std::string("quiet detail")));
    EXPECT_EQ(g_logged[1], std::make_pair(LogLevel::Error, std::string("loud failure")));
}

TEST_F(LogCapture, OsFailuresAreWarningsNamingOperationResourceAndErrno) {
    zerobuffer::detail::log_os_failure("munmap", "/buf", EINVAL);

    ASSERT_EQ(g_logged.size(), 1U);
    EXPECT_EQ(g_logged[0].first, LogLevel::Warning);
    EXPECT_EQ(g_logged[0].second, "munmap of '/buf' failed: errno " + std::to_string(EINVAL));
}

TEST(LoggerEdges, WithoutASinkOnlyWarningsAndErrorsReachStandardError) {
    zerobuffer::set_log_sink(nullptr);
    CerrCapture cerr;

    zerobuffer::detail::log(LogLevel::Debug, "not shown");
    zerobuffer::detail::log(LogLevel::Info, "not shown either");
    zerobuffer::detail::log(LogLevel::Error, "shown");

    EXPECT_EQ(cerr.str(), "zerobuffer error: shown\n");
}

// --- errors --------------------------------------------------------------------------------------

TEST(ErrorEdges, ThrowErrorThrowsTheKindItIsGivenWithMessageAndErrno) {
    const ErrorKind kinds[] = {
        ErrorKind::InvalidBufferName, ErrorKind::InvalidConfig, ErrorKind::BufferNotFound,
        ErrorKind::ReaderAlreadyConnected, ErrorKind::WriterAlreadyConnected, ErrorKind::ReaderDead,
        ErrorKind::WriterDead, ErrorKind::BufferFull, ErrorKind::FrameTooLarge, ErrorKind::InvalidFrameSize,
        ErrorKind::SequenceError, ErrorKind::MetadataTooLarge, ErrorKind::MetadataAlreadyWritten,
        ErrorKind::InvalidOieb, ErrorKind::ProtocolVersionMismatch, ErrorKind::SystemError,
        ErrorKind::ResourceExhausted, ErrorKind::PermissionDenied,
    };
    for (ErrorKind kind : kinds) {
        try {
            zerobuffer::throw_error(kind, "what happened", 42);
            ADD_FAILURE() << "throw_error returned for " << zerobuffer::to_string(kind);
        } catch (const ZeroBufferException& e) {
            EXPECT_EQ(e.error_kind(), kind);
            EXPECT_STREQ(e.kind(), zerobuffer::to_string(kind));
            EXPECT_STREQ(e.what(), "what happened");
            EXPECT_EQ(e.os_error(), 42);
        }
    }
}

TEST(ErrorEdges, TypedKindsAreCatchableByTheirOwnClass) {
    EXPECT_THROW(zerobuffer::throw_error(ErrorKind::InvalidFrameSize, "zero"), zerobuffer::InvalidFrameSizeException);
    EXPECT_THROW(zerobuffer::throw_error(ErrorKind::PermissionDenied, "no"), zerobuffer::PermissionDeniedException);
}

TEST(ErrorEdges, ResourceErrnosMapToResourceExhausted) {
    for (int err : {ENOSPC, EMFILE, ENFILE, ENOMEM}) {
        EXPECT_EQ(zerobuffer::detail::kind_from_errno(err), ErrorKind::ResourceExhausted) << err;
    }
    EXPECT_EQ(zerobuffer::detail::errno_name(ENOMEM), "ENOMEM");
    EXPECT_EQ(zerobuffer::detail::errno_name(99999), "errno 99999");
}

// --- shared memory -------------------------------------------------------------------------------

TEST(SharedMemoryEdges, MovingTransfersTheMappingAndExistsFollowsUnlink) {
    const std::string name = shm_path("shmmove");
    SharedMemory first;
    ASSERT_EQ(SharedMemory::create(name, 4096, first), SharedMemory::CreateResult::Created);
    first.data()[0] = 0x5A;

    SharedMemory second(std::move(first));

    EXPECT_FALSE(first.mapped());  // NOLINT(bugprone-use-after-move): the moved-from state is the point
    EXPECT_EQ(first.data(), nullptr);
    EXPECT_EQ(first.size(), 0U);
    ASSERT_TRUE(second.mapped());
    EXPECT_EQ(second.data()[0], 0x5A);
    EXPECT_TRUE(SharedMemory::exists(name));
    EXPECT_TRUE(SharedMemory::unlink(name));
    EXPECT_FALSE(SharedMemory::exists(name));
    EXPECT_FALSE(SharedMemory::unlink(name));
}

TEST(SharedMemoryEdges, AFailedCreateLeavesNoObjectBehind) {
    const std::string name = shm_path("shmzero");
    SharedMemory out;

    try {
        SharedMemory::create(name, 0, out);  // a zero-length mapping is refused by mmap
        ADD_FAILURE() << "creating a zero-size buffer succeeded";
    } catch (const ZeroBufferException& e) {
        EXPECT_NE(std::string(e.what()).find(name), std::string::npos) << e.what();
    }

    EXPECT_FALSE(out.mapped());
    EXPECT_FALSE(SharedMemory::exists(name));
}

TEST(SharedMemoryEdges, AnObjectNotSizedYetOpensUnmapped) {
    const std::string name = shm_path("shmempty");
    int fd = ::shm_open(name.c_str(), O_CREAT | O_EXCL | O_RDWR, 0600);
    ASSERT_GE(fd, 0);
    ::close(fd);

    SharedMemory out;
    bool opened = SharedMemory::open(name, out);
    SharedMemory::unlink(name);

    EXPECT_TRUE(opened);
    EXPECT_FALSE(out.mapped());
    EXPECT_EQ(out.size(), 0U);
    EXPECT_EQ(out.name(), name);
}

TEST(SharedMemoryEdges, InvalidNamesAreTypedErrorsNotMissingObjects) {
    SharedMemory out;
    EXPECT_THROW(SharedMemory::create("/a/b", 64, out), ZeroBufferException);
    EXPECT_THROW(SharedMemory::open("/a/b", out), ZeroBufferException);
    EXPECT_FALSE(SharedMemory::open(shm_path("shmmissing"), out));
}

// --- semaphores ----------------------------------------------------------------------------------

TEST(NamedSemaphoreEdges, TryWaitTakesOnlyWhatWasPostedAndMovesKeepTheHandle) {
    const std::string name = shm_path("semtry");
    NamedSemaphore sem;
    ASSERT_TRUE(NamedSemaphore::create(name, sem));
    NamedSemaphore duplicate;
    EXPECT_FALSE(NamedSemaphore::create(name, duplicate));  // the name is taken

    EXPECT_FALSE(sem.try_wait());
    sem.post();
    NamedSemaphore moved(std::move(sem));
    EXPECT_FALSE(sem.is_open());  // NOLINT(bugprone-use-after-move)
    ASSERT_TRUE(moved.is_open());
    EXPECT_EQ(moved.name(), name);
    EXPECT_TRUE(moved.try_wait());
    EXPECT_FALSE(moved.try_wait());

    EXPECT_TRUE(NamedSemaphore::unlink(name));
    EXPECT_FALSE(NamedSemaphore::unlink(name));
}

TEST(NamedSemaphoreEdges, MissingIsFalseButInvalidNamesThrow) {
    NamedSemaphore sem;
    EXPECT_FALSE(NamedSemaphore::open(shm_path("semmissing"), sem));
    EXPECT_THROW(NamedSemaphore::create("/a/b", sem), ZeroBufferException);
    EXPECT_THROW(NamedSemaphore::open("/a/b", sem), ZeroBufferException);
    EXPECT_FALSE(sem.is_open());
}

// --- lock files ----------------------------------------------------------------------------------

TEST(FileLockEdges, TheLockIsExclusiveMovableAndUnlinkRemovesTheFile) {
    const std::string path = (std::filesystem::temp_directory_path() / (zbtest::buffer_name("lock") + ".lock")).string();
    FileLock lock;
    ASSERT_TRUE(FileLock::try_acquire(path, lock));
    FileLock rival;
    EXPECT_FALSE(FileLock::try_acquire(path, rival));

    FileLock moved(std::move(lock));
    EXPECT_FALSE(lock.held());  // NOLINT(bugprone-use-after-move)
    ASSERT_TRUE(moved.held());
    EXPECT_EQ(moved.path(), path);

    moved.unlink_and_release();
    EXPECT_FALSE(moved.held());
    EXPECT_FALSE(std::filesystem::exists(path));
    EXPECT_TRUE(FileLock::try_acquire(path, rival));  // free again once released
    rival.unlink_and_release();
}

TEST(FileLockEdges, WithoutCreateAMissingLockFileIsNotAcquiredNorCreated) {
    // The stale sweep's open: a lock file its owner removed meanwhile must stay removed.
    const std::string path = (std::filesystem::temp_directory_path() / (zbtest::buffer_name("lock") + ".lock")).string();
    FileLock lock;
    EXPECT_FALSE(FileLock::try_acquire(path, lock, /*create=*/false));
    EXPECT_FALSE(lock.held());
    EXPECT_FALSE(std::filesystem::exists(path));

    {
        FileLock owner;
        ASSERT_TRUE(FileLock::try_acquire(path, owner));
        EXPECT_FALSE(FileLock::try_acquire(path, lock, /*create=*/false));  // held by its owner
    }  // the owner's lock is dropped; its file stays
    EXPECT_TRUE(FileLock::try_acquire(path, lock, /*create=*/false));   // free and present
    lock.unlink_and_release();
}

TEST(FileLockEdges, ALockInAMissingDirectoryIsATypedError) {
    FileLock lock;
    const std::string path = "/nonexistent-zerobuffer-dir/" + zbtest::buffer_name("lock") + ".lock";
    try {
        FileLock::try_acquire(path, lock);
        ADD_FAILURE() << "a lock file was created in a missing directory";
    } catch (const ZeroBufferException& e) {
        EXPECT_EQ(e.error_kind(), ErrorKind::BufferNotFound);
        EXPECT_EQ(e.os_error(), ENOENT);
        EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
    }
    EXPECT_FALSE(lock.held());
}

// --- shared-memory exhaustion (PROTOCOL.md §6: posix_fallocate failures are ResourceExhausted) ----

namespace {

// The whole size of /dev/shm: a ring larger than it can never be backed, and tmpfs refuses such a
// posix_fallocate at once, without allocating a page first.
std::uint64_t dev_shm_total_bytes() {
    struct statvfs fs {};
    if (::statvfs("/dev/shm", &fs) != 0) return 0;
    return static_cast<std::uint64_t>(fs.f_blocks) * fs.f_frsize;
}

}  // namespace

TEST(SharedMemoryEdges, ARingLargerThanDevShmIsResourceExhaustedAndLeavesNothing) {
    const std::uint64_t total = dev_shm_total_bytes();
    if (total == 0) GTEST_SKIP() << "/dev/shm reports no size limit";
    const std::string name = zbtest::buffer_name("shmfull");
    const std::uint64_t payload = (total / 64 + 1024) * 64;  // 64 KiB more than the whole of /dev/shm

    try {
        zerobuffer::Reader reader(name, zerobuffer::BufferConfig(1024, payload));
        ADD_FAILURE() << "a " << payload << "-byte ring fitted into a " << total << "-byte /dev/shm";
    } catch (const ZeroBufferException& e) {
        EXPECT_EQ(e.error_kind(), ErrorKind::ResourceExhausted) << e.what();
        EXPECT_NE(std::string(e.what()).find("posix_fallocate"), std::string::npos) << e.what();
    }

    // The reader unlinked its shm and never made the semaphores; its lock file went with it.
    EXPECT_TRUE(zbtest::leftovers(name).empty());
}
