"""ZeroBuffer: zero-copy shared-memory ring buffer, protocol v1 (byte-compatible with C# and C++).

One Reader process creates a named buffer; one Writer process connects and writes frames::

    from zerobuffer import BufferConfig, Reader, Writer
    with Reader("demo", BufferConfig(1024, 1 << 20)) as reader, Writer("demo") as writer:
        writer.write_frame(b"hello")
        with reader.read_frame(timeout=5.0) as frame:
            assert bytes(frame.data) == b"hello"

The library logs through ``logging.getLogger("zerobuffer")`` only and never configures handlers.
"""

from .config import DEFAULT_METADATA_SIZE, DEFAULT_PAYLOAD_SIZE, BufferConfig
from .errors import (BufferFullException, BufferNotFoundException, FrameTooLargeException,
                     InvalidBufferNameException, InvalidConfigException, InvalidFrameSizeException,
                     InvalidOiebException, MetadataAlreadyWrittenException, MetadataTooLargeException,
                     PermissionDeniedException, ProtocolVersionMismatchException,
                     ReaderAlreadyConnectedException, ReaderDeadException, ResourceExhaustedException,
                     SequenceError, SequenceErrorException, SystemErrorException,
                     WriterAlreadyConnectedException,
                     WriterDeadException, ZeroBufferException)
from .frame import Frame
from .reader import Reader
from .writer import Writer

__version__ = "1.1.0"
PROTOCOL_VERSION = "1.0.0"

__all__ = [
    "BufferConfig", "DEFAULT_METADATA_SIZE", "DEFAULT_PAYLOAD_SIZE", "Frame", "Reader", "Writer",
    "ZeroBufferException", "InvalidBufferNameException", "InvalidConfigException",
    "BufferNotFoundException", "ReaderAlreadyConnectedException", "WriterAlreadyConnectedException",
    "ReaderDeadException", "WriterDeadException", "BufferFullException", "FrameTooLargeException",
    "InvalidFrameSizeException", "SequenceErrorException", "SequenceError",
    "MetadataTooLargeException", "MetadataAlreadyWrittenException", "InvalidOiebException",
    "ProtocolVersionMismatchException", "SystemErrorException", "ResourceExhaustedException", "PermissionDeniedException",
    "PROTOCOL_VERSION", "__version__",
]
