"""Looking into and editing a live buffer from outside its reader and writer, for tools, tests and
the fuzzer (tests/fuzz). Reads are snapshots; the edits deliberately bypass every protocol rule.

Fields are named as in PROTOCOL.md §2; ``version_major``/``_minor``/``_patch`` are the version bytes.
"""

from __future__ import annotations

import struct
from typing import Literal

from . import _layout as L
from . import _names
from ._posix import NamedSemaphore
from ._resources import SharedMemory, pid_alive
from .errors import BufferNotFoundException

# name -> (offset, struct format) of every OIEB field.
OIEB_FIELDS: dict[str, tuple[int, str]] = {
    "oieb_size": (L.OFF_OIEB_SIZE, "<I"),
    "version_major": (L.OFF_VERSION, "<B"),
    "version_minor": (L.OFF_VERSION + 1, "<B"),
    "version_patch": (L.OFF_VERSION + 2, "<B"),
    "metadata_size": (L.OFF_METADATA_SIZE, "<Q"),
    "metadata_free_bytes": (L.OFF_METADATA_FREE, "<Q"),
    "metadata_written_bytes": (L.OFF_METADATA_WRITTEN, "<Q"),
    "payload_size": (L.OFF_PAYLOAD_SIZE, "<Q"),
    "payload_free_bytes": (L.OFF_PAYLOAD_FREE, "<Q"),
    "payload_write_pos": (L.OFF_WRITE_POS, "<Q"),
    "payload_read_pos": (L.OFF_READ_POS, "<Q"),
    "payload_written_count": (L.OFF_WRITTEN_COUNT, "<Q"),
    "payload_read_count": (L.OFF_READ_COUNT, "<Q"),
    "writer_pid": (L.OFF_WRITER_PID, "<Q"),
    "reader_pid": (L.OFF_READER_PID, "<Q"),
}


def _open(name: str) -> SharedMemory:
    _names.validate_name(name)
    try:
        shm = SharedMemory(name)
    except FileNotFoundError:
        raise BufferNotFoundException(f"buffer '{name}' does not exist") from None
    if shm.size < L.OIEB_SIZE:
        shm.close()
        raise BufferNotFoundException(f"buffer '{name}' is smaller than an OIEB ({shm.size} bytes)")
    return shm


def inspect_buffer(name: str) -> dict[str, object]:
    """The OIEB as a dict with PROTOCOL.md §2 field names plus ``version`` and liveness."""
    shm = _open(name)
    try:
        values = {field: struct.unpack_from(fmt, shm.buf, offset)[0] for field, (offset, fmt) in OIEB_FIELDS.items()}
    finally:
        shm.close()
    version = f"{values.pop('version_major')}.{values.pop('version_minor')}.{values.pop('version_patch')}"
    record: dict[str, object] = {"oieb_size": values.pop("oieb_size"), "version": version, **values}
    record["reader_alive"] = pid_alive(values["reader_pid"])
    record["writer_alive"] = pid_alive(values["writer_pid"])
    return record


def oieb_image(name: str) -> bytes:
    """A copy of the 128 OIEB bytes."""
    shm = _open(name)
    try:
        return bytes(shm.buf[: L.OIEB_SIZE])
    finally:
        shm.close()


def region_image(name: str, region: Literal["metadata", "payload"]) -> bytes:
    """A copy of the metadata block or the payload ring, located through the OIEB's sizes."""
    shm = _open(name)
    try:
        start, end = _region(shm, region)
        return bytes(shm.buf[start:end])
    finally:
        shm.close()


def write_oieb_field(name: str, field: str, value: int) -> None:
    """Store ``value`` into one OIEB field (wrapped to the field's width)."""
    offset, fmt = OIEB_FIELDS[field]
    width_mask = (1 << (8 * struct.calcsize(fmt))) - 1
    shm = _open(name)
    try:
        struct.pack_into(fmt, shm.buf, offset, value & width_mask)
    finally:
        shm.close()


def write_region_bytes(name: str, region: Literal["metadata", "payload"], offset: int, data: bytes) -> None:
    """Overwrite bytes at ``offset`` of the metadata block or payload ring; the write must fit it."""
    shm = _open(name)
    try:
        start, end = _region(shm, region)
        if offset < 0 or start + offset + len(data) > end:
            raise ValueError(f"{len(data)} bytes at {region} offset {offset} do not fit the "
                             f"{end - start}-byte {region} region of buffer '{name}'")
        shm.buf[start + offset: start + offset + len(data)] = data
    finally:
        shm.close()


def post_semaphore(name: str, which: Literal["written", "freed"], count: int = 1) -> None:
    """Post the buffer's sem-w ("written") or sem-r ("freed") semaphore ``count`` times."""
    sem_name = _names.sem_write_name(name) if which == "written" else _names.sem_read_name(name)
    semaphore = NamedSemaphore(sem_name, create=False)
    try:
        for _ in range(count):
            semaphore.post()
    finally:
        semaphore.close()


def _region(shm: SharedMemory, region: str) -> tuple[int, int]:
    """[start, end) of a region: the metadata block sits at 128, the ring right after it; both are
    clamped to the mapping so a corrupted OIEB never sends an edit outside it."""
    metadata_size = min(L.U64.unpack_from(shm.buf, L.OFF_METADATA_SIZE)[0], shm.size - L.OIEB_SIZE)
    payload_start = L.OIEB_SIZE + metadata_size
    if region == "metadata":
        return L.OIEB_SIZE, payload_start
    if region == "payload":
        payload_size = L.U64.unpack_from(shm.buf, L.OFF_PAYLOAD_SIZE)[0]
        return payload_start, min(shm.size, payload_start + payload_size)
    raise ValueError(f"unknown region {region!r} (metadata or payload)")
