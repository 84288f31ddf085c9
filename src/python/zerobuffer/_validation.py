"""The OIEB validation rule set of PROTOCOL.md §5, in one place for the reader and the writer.

``validate_oieb`` is the full check a writer makes at connect; ``check_free_bytes`` and
``check_metadata_written`` are the parts an operation repeats for the one field it is about to use.
Counters (``*_count``) are never checked: they wrap modulo 2^64. testdata/oieb/validation-cases.json
pins the rules; C# (OiebValidator) and C++ (oieb_validation) apply the same ones.
"""

from __future__ import annotations

from . import _layout as L
from .errors import BufferNotFoundException, InvalidOiebException, ProtocolVersionMismatchException


def _invalid(name: str, field: str, value: int, bound: str) -> InvalidOiebException:
    return InvalidOiebException(f"buffer '{name}' has an invalid OIEB: {field} = {value}, {bound}")


def validate_oieb(name: str, oieb_size: int, major: int, fields: "memoryview", mapping_size: int) -> None:
    """Raise the kind PROTOCOL.md §5 names for the first broken rule; ``fields`` is the OIEB as u64s."""
    if oieb_size == 0:
        raise BufferNotFoundException(f"buffer '{name}' is still being created by its reader (oieb_size = 0)")
    if oieb_size != L.OIEB_SIZE:
        raise _invalid(name, "oieb_size", oieb_size, f"expected {L.OIEB_SIZE}")
    if major != L.VERSION[0]:
        raise ProtocolVersionMismatchException(
            f"buffer '{name}' uses protocol major version {major}, this library speaks {L.VERSION[0]}.x")
    metadata_size, payload_size = fields[L.I_METADATA_SIZE], fields[L.I_PAYLOAD_SIZE]
    if metadata_size % L.ALIGNMENT:
        raise _invalid(name, "metadata_size", metadata_size, f"must be a multiple of {L.ALIGNMENT}")
    if payload_size == 0 or payload_size % L.ALIGNMENT:
        raise _invalid(name, "payload_size", payload_size, f"must be a non-zero multiple of {L.ALIGNMENT}")
    if L.OIEB_SIZE + metadata_size + payload_size != mapping_size:
        raise _invalid(name, "metadata_size + payload_size", metadata_size + payload_size,
                       f"must equal the mapping size {mapping_size} - {L.OIEB_SIZE}")
    for field, index in (("payload_write_pos", L.I_WRITE_POS), ("payload_read_pos", L.I_READ_POS)):
        if fields[index] > payload_size:
            raise _invalid(name, field, fields[index], f"must be <= payload_size {payload_size}")
    check_free_bytes(name, fields[L.I_PAYLOAD_FREE], payload_size)
    check_metadata_written(name, fields[L.I_METADATA_WRITTEN], metadata_size)


def check_free_bytes(name: str, free: int, payload_size: int) -> int:
    """payload_free_bytes <= payload_size; returns it."""
    if free > payload_size:
        raise _invalid(name, "payload_free_bytes", free, f"must be <= payload_size {payload_size}")
    return free


def check_metadata_written(name: str, written: int, metadata_size: int) -> int:
    """metadata_written_bytes is 0 or 8 + n with n <= metadata_size - 8; returns it."""
    if written != 0 and not L.METADATA_PREFIX_SIZE <= written <= metadata_size:
        raise _invalid(name, "metadata_written_bytes", written,
                       f"must be 0 or between {L.METADATA_PREFIX_SIZE} and metadata_size {metadata_size}")
    return written
