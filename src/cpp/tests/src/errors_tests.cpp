// Error kinds and the errno mapping: pinned as tables so a renamed kind breaks a test.
#include <cerrno>

#include <gtest/gtest.h>

#include "zerobuffer/detail/errno_mapping.hpp"
#include "zerobuffer/errors.hpp"

using zerobuffer::ErrorKind;

TEST(Errors, KindNamesMatchTheProtocol) {
    const std::pair<ErrorKind, const char*> table[] = {
        {ErrorKind::InvalidBufferName, "InvalidBufferName"},
        {ErrorKind::InvalidConfig, "InvalidConfig"},
        {ErrorKind::BufferNotFound, "BufferNotFound"},
        {ErrorKind::ReaderAlreadyConnected, "ReaderAlreadyConnected"},
        {ErrorKind::WriterAlreadyConnected, "WriterAlreadyConnected"},
        {ErrorKind::ReaderDead, "ReaderDead"},
        {ErrorKind::WriterDead, "WriterDead"},
        {ErrorKind::BufferFull, "BufferFull"},
        {ErrorKind::FrameTooLarge, "FrameTooLarge"},
        {ErrorKind::InvalidFrameSize, "InvalidFrameSize"},
        {ErrorKind::SequenceError, "SequenceError"},
        {ErrorKind::MetadataTooLarge, "MetadataTooLarge"},
        {ErrorKind::MetadataAlreadyWritten, "MetadataAlreadyWritten"},
        {ErrorKind::InvalidOieb, "InvalidOieb"},
        {ErrorKind::ProtocolVersionMismatch, "ProtocolVersionMismatch"},
        {ErrorKind::SystemError, "SystemError"},
        {ErrorKind::ResourceExhausted, "ResourceExhausted"},
        {ErrorKind::PermissionDenied, "PermissionDenied"},
    };
    for (const auto& [kind, text] : table) {
        EXPECT_STREQ(zerobuffer::to_string(kind), text);
        if (kind == ErrorKind::SequenceError) continue;
        try {
            zerobuffer::throw_error(kind, "m");
        } catch (const zerobuffer::ZeroBufferException& e) {
            EXPECT_STREQ(e.kind(), text);
            EXPECT_EQ(e.error_kind(), kind);
        }
    }
}

TEST(Errors, ThrowErrorUsesTheKindsOwnClass) {
    EXPECT_THROW(zerobuffer::throw_error(ErrorKind::BufferFull, "x"), zerobuffer::BufferFullException);
    EXPECT_THROW(zerobuffer::throw_error(ErrorKind::ReaderDead, "x"), zerobuffer::ReaderDeadException);
    EXPECT_THROW(zerobuffer::throw_error(ErrorKind::PermissionDenied, "x"), zerobuffer::PermissionDeniedException);
    zerobuffer::SequenceError e(3, 5, "b");
    EXPECT_STREQ(e.kind(), "SequenceError");
    EXPECT_EQ(e.expected(), 3u);
    EXPECT_EQ(e.got(), 5u);
}

// The table itself is pinned by testdata/errno/errno-kinds.json (shared_fixtures_tests.cpp).
TEST(Errors, OsErrorsNameTheCallTheResourceAndTheErrno) {
    try {
        zerobuffer::detail::throw_os_error(EACCES, "shm_open", "/x");
        FAIL();
    } catch (const zerobuffer::PermissionDeniedException& e) {
        EXPECT_EQ(e.os_error(), EACCES);
        EXPECT_NE(std::string(e.what()).find("shm_open '/x'"), std::string::npos);
        EXPECT_NE(std::string(e.what()).find("(EACCES)"), std::string::npos);
    }
    EXPECT_THROW(zerobuffer::detail::throw_os_error(EIO, "mmap", "/x"), zerobuffer::SystemErrorException);
}
