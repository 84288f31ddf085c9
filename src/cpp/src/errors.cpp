#include "zerobuffer/errors.hpp"

namespace zerobuffer {

const char* to_string(ErrorKind kind) noexcept {
    switch (kind) {
        case ErrorKind::InvalidBufferName: return "InvalidBufferName";
        case ErrorKind::InvalidConfig: return "InvalidConfig";
        case ErrorKind::BufferNotFound: return "BufferNotFound";
        case ErrorKind::ReaderAlreadyConnected: return "ReaderAlreadyConnected";
        case ErrorKind::WriterAlreadyConnected: return "WriterAlreadyConnected";
        case ErrorKind::ReaderDead: return "ReaderDead";
        case ErrorKind::WriterDead: return "WriterDead";
        case ErrorKind::BufferFull: return "BufferFull";
        case ErrorKind::FrameTooLarge: return "FrameTooLarge";
        case ErrorKind::InvalidFrameSize: return "InvalidFrameSize";
        case ErrorKind::SequenceError: return "SequenceError";
        case ErrorKind::MetadataTooLarge: return "MetadataTooLarge";
        case ErrorKind::MetadataAlreadyWritten: return "MetadataAlreadyWritten";
        case ErrorKind::InvalidOieb: return "InvalidOieb";
        case ErrorKind::ProtocolVersionMismatch: return "ProtocolVersionMismatch";
        case ErrorKind::SystemError: return "SystemError";
        case ErrorKind::ResourceExhausted: return "ResourceExhausted";
        case ErrorKind::PermissionDenied: return "PermissionDenied";
    }
    return "Unknown";
}

void throw_error(ErrorKind kind, const std::string& message, int os_error) {
    switch (kind) {
        case ErrorKind::InvalidBufferName: throw InvalidBufferNameException(message, os_error);
        case ErrorKind::InvalidConfig: throw InvalidConfigException(message, os_error);
        case ErrorKind::BufferNotFound: throw BufferNotFoundException(message, os_error);
        case ErrorKind::ReaderAlreadyConnected: throw ReaderAlreadyConnectedException(message, os_error);
        case ErrorKind::WriterAlreadyConnected: throw WriterAlreadyConnectedException(message, os_error);
        case ErrorKind::ReaderDead: throw ReaderDeadException(message, os_error);
        case ErrorKind::WriterDead: throw WriterDeadException(message, os_error);
        case ErrorKind::BufferFull: throw BufferFullException(message, os_error);
        case ErrorKind::FrameTooLarge: throw FrameTooLargeException(message, os_error);
        case ErrorKind::InvalidFrameSize: throw InvalidFrameSizeException(message, os_error);
        case ErrorKind::SequenceError: throw ZeroBufferException(kind, message, os_error);
        case ErrorKind::MetadataTooLarge: throw MetadataTooLargeException(message, os_error);
        case ErrorKind::MetadataAlreadyWritten: throw MetadataAlreadyWrittenException(message, os_error);
        case ErrorKind::InvalidOieb: throw InvalidOiebException(message, os_error);
        case ErrorKind::ProtocolVersionMismatch: throw ProtocolVersionMismatchException(message, os_error);
        case ErrorKind::SystemError: throw SystemErrorException(message, os_error);
        case ErrorKind::ResourceExhausted: throw ResourceExhaustedException(message, os_error);
        case ErrorKind::PermissionDenied: throw PermissionDeniedException(message, os_error);
    }
    throw ZeroBufferException(kind, message, os_error);
}

}  // namespace zerobuffer
