"""The ZeroBuffer error hierarchy (PROTOCOL.md §6).

Every error kind is its own class ``<Kind>Exception`` deriving from :class:`ZeroBufferException`;
``kind`` holds the bare kind name, which the serve worker reports verbatim as ``errorType``.
OS errors are turned into these types in one place, :func:`from_os_error`.
"""

from __future__ import annotations

import errno as _errno
from typing import Optional


class ZeroBufferException(Exception):
    """Base class of every ZeroBuffer error."""

    kind: str = "ZeroBuffer"
    # The errno of the failed OS call, None when the error did not come from one.
    errno: Optional[int] = None


class InvalidBufferNameException(ZeroBufferException):
    """A buffer name breaks the naming rule (1-200 chars of [A-Za-z0-9._-], not starting with '.')."""

    kind = "InvalidBufferName"


class InvalidConfigException(ZeroBufferException):
    """A BufferConfig value is out of range."""

    kind = "InvalidConfig"


class BufferNotFoundException(ZeroBufferException):
    """No buffer of that name exists, or its reader has not finished creating it."""

    kind = "BufferNotFound"


class ReaderAlreadyConnectedException(ZeroBufferException):
    """A live reader already owns the buffer."""

    kind = "ReaderAlreadyConnected"


class WriterAlreadyConnectedException(ZeroBufferException):
    """A live writer is already connected to the buffer."""

    kind = "WriterAlreadyConnected"


class ReaderDeadException(ZeroBufferException):
    """The reader is gone (never there, closed, or its process died)."""

    kind = "ReaderDead"


class WriterDeadException(ZeroBufferException):
    """The writer's process died, or it closed and nothing is left to read."""

    kind = "WriterDead"


class BufferFullException(ZeroBufferException):
    """No space became free within the write timeout while the reader is alive."""

    kind = "BufferFull"


class FrameTooLargeException(ZeroBufferException):
    """A frame (16-byte header + payload) can never fit the payload ring."""

    kind = "FrameTooLarge"


class InvalidFrameSizeException(ZeroBufferException):
    """A zero-sized frame was requested, or a frame header in the ring is corrupt."""

    kind = "InvalidFrameSize"


class SequenceErrorException(ZeroBufferException):
    """A frame arrived with an unexpected sequence number."""

    kind = "SequenceError"

    def __init__(self, expected: int, got: int, buffer: str = "") -> None:
        where = f" in buffer '{buffer}'" if buffer else ""
        super().__init__(f"sequence error{where}: expected {expected}, got {got}")
        self.expected = expected
        self.got = got


# zerobuffer-ipc 1.x exposes this class as SequenceError.
SequenceError = SequenceErrorException


class MetadataTooLargeException(ZeroBufferException):
    """8 + len(metadata) exceeds the metadata block."""

    kind = "MetadataTooLarge"


class MetadataAlreadyWrittenException(ZeroBufferException):
    """Metadata may be written once per buffer."""

    kind = "MetadataAlreadyWritten"


class InvalidOiebException(ZeroBufferException):
    """The OIEB is corrupt or does not describe the mapping."""

    kind = "InvalidOieb"


class ProtocolVersionMismatchException(ZeroBufferException):
    """The buffer was made by an incompatible protocol major version."""

    kind = "ProtocolVersionMismatch"


class SystemErrorException(ZeroBufferException):
    """An OS call failed with an errno the table of PROTOCOL.md §6 gives no other kind."""

    kind = "SystemError"


class ResourceExhaustedException(ZeroBufferException):
    """An OS limit was hit (ENOSPC, EMFILE, ENFILE, ENOMEM)."""

    kind = "ResourceExhausted"


class PermissionDeniedException(ZeroBufferException):
    """The OS refused access (EACCES, EPERM)."""

    kind = "PermissionDenied"


ERROR_TYPES: tuple[type[ZeroBufferException], ...] = (
    InvalidBufferNameException,
    InvalidConfigException,
    BufferNotFoundException,
    ReaderAlreadyConnectedException,
    WriterAlreadyConnectedException,
    ReaderDeadException,
    WriterDeadException,
    BufferFullException,
    FrameTooLargeException,
    InvalidFrameSizeException,
    SequenceErrorException,
    MetadataTooLargeException,
    MetadataAlreadyWrittenException,
    InvalidOiebException,
    ProtocolVersionMismatchException,
    SystemErrorException,
    ResourceExhaustedException,
    PermissionDeniedException,
)

# PROTOCOL.md §6, the one errno -> kind table (pinned by testdata/errno/errno-kinds.json).
# EINTR is retried and ETIMEDOUT of a timed wait is a plain timeout: neither reaches this table.
_ERRNO_KINDS: dict[int, type[ZeroBufferException]] = {
    _errno.ENOENT: BufferNotFoundException,
    _errno.EACCES: PermissionDeniedException,
    _errno.EPERM: PermissionDeniedException,
    _errno.ENOSPC: ResourceExhaustedException,
    _errno.EMFILE: ResourceExhaustedException,
    _errno.ENFILE: ResourceExhaustedException,
    _errno.ENOMEM: ResourceExhaustedException,
    _errno.ENAMETOOLONG: InvalidBufferNameException,
}


def error_type_for_errno(code: Optional[int]) -> type[ZeroBufferException]:
    """The exception class of an errno; anything the table does not name is SystemError."""
    return _ERRNO_KINDS.get(code or 0, SystemErrorException)


def from_os_error(exc: OSError, resource: str, operation: str) -> Exception:
    """Map an OSError from a shm/semaphore/lock call to a typed error naming the resource.

    EEXIST and ENOENT stay the built-in FileExistsError / FileNotFoundError, which the library's
    own create-or-replace and open-or-report code branches on before any error reaches a caller;
    every other errno becomes the kind of the table. The message has the shape of PROTOCOL.md §6:
    ``<what failed> '<resource>': <reason> (<errno name>)``.
    """
    code: Optional[int] = exc.errno
    name = _errno.errorcode.get(code or 0, f"errno {code}")
    text = f"{operation} '{resource}': {exc.strerror} ({name})"
    if code in (_errno.EEXIST, _errno.ENOENT):
        return type(exc)(code, text, resource)
    error = error_type_for_errno(code)(text)
    error.errno = code
    return error
