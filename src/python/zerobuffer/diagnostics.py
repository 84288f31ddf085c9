"""Looking into and editing a live buffer from outside its reader and writer, for tools, tests and
the fuzzer (tests/fuzz). Reads are snapshots; the edits deliberately bypass every protocol rule.
Test and diagnostics use only: nothing here belongs in a production read or write path.

Fields are named as in PROTOCOL.md §2; ``version_major``/``_minor``/``_patch`` are the version bytes.
"""

from __future__ import annotations

import ctypes
import fcntl
import os
import stat
import struct
import subprocess
from dataclasses import dataclass
from typing import Literal, Mapping, Optional, Union

from . import _layout as L
from . import _names
from ._posix import NamedSemaphore
from ._resources import SharedMemory, pid_alive
from .errors import BufferNotFoundException
from .reader import Reader
from .writer import Writer

Semaphore = Literal["written", "freed"]

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


def continuous_free_bytes(oieb: Mapping[str, object]) -> int:
    """The largest frame, header included, the writer could place now without waiting, from an
    ``inspect_buffer`` record: what PROTOCOL.md §4 steps 3-4 allow. A frame fits in the tail
    (total <= payload_size - write_pos and <= free) or, wrapping, at the start (the tail is consumed
    too: tail + total <= free). So: 0 when the ring is full; read_pos - write_pos when write_pos <
    read_pos; otherwise the tail or the start up to read_pos, whichever is larger, and only the tail
    when read_pos is 0. read_pos needs no term of its own: the free-byte accounting already keeps a
    wrapping frame short of it. A write_pos at payload_size (older writers leave it) has no tail.
    """
    def field(key: str) -> int:
        value = oieb[key]
        assert isinstance(value, int), f"{key} is {value!r}, not an integer"
        return value

    size, free, write_pos = field("payload_size"), field("payload_free_bytes"), field("payload_write_pos")
    tail = 0 if write_pos >= size else size - write_pos
    return max(min(tail, free), free - tail if free > tail else 0)


RingEntryKind = Literal["frame", "wrap_marker", "implicit_wrap"]


@dataclass(frozen=True)
class RingEntry:
    """What the payload ring holds at an offset (PROTOCOL.md §4). For a wrap, ``wasted_bytes`` are the
    bytes from ``offset`` to the end of the ring that no frame uses; 0 for a frame."""

    offset: int
    kind: RingEntryKind
    payload_size: int
    sequence: int
    wasted_bytes: int


def ring_entry_at(name: str, offset: int) -> RingEntry:
    """What the payload ring holds at ``offset`` (0-based in the ring): an implicit wrap when fewer
    than 16 bytes are left to its end, else the header there, a wrap marker when it is all zeros.
    Zeros no writer ever wrote read as a marker too: combine with payload_written_count.

    ValueError when the offset is not inside the ring.
    """
    shm = _open(name)
    try:
        start, end = _region(shm, "payload")
        size = L.U64.unpack_from(shm.buf, L.OFF_PAYLOAD_SIZE)[0]
        if end - start != size or not 0 <= offset < size:
            raise ValueError(f"offset {offset} is not inside the {size}-byte ring of buffer '{name}' "
                             f"(mapping {shm.size} bytes)")
        to_end = size - offset
        if to_end < L.FRAME_HEADER_SIZE:
            return RingEntry(offset, "implicit_wrap", 0, 0, to_end)
        payload_size, sequence = L.FRAME_HEADER.unpack_from(shm.buf, start + offset)
    finally:
        shm.close()
    if payload_size == 0 and sequence == 0:
        return RingEntry(offset, "wrap_marker", 0, 0, to_end)
    return RingEntry(offset, "frame", payload_size, sequence, 0)


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


def frame_header(name: str, offset: int) -> tuple[int, int]:
    """The frame header (payload_size, sequence) at ``offset`` of the payload ring (PROTOCOL.md §3);
    the 16 bytes must fit the ring. A payload_size of 0 is a wrap marker."""
    shm = _open(name)
    try:
        at = _frame_header_at(shm, name, offset)
        size, sequence = L.FRAME_HEADER.unpack_from(shm.buf, at)
        return size, sequence
    finally:
        shm.close()


def write_frame_sequence(name: str, offset: int, sequence: int) -> None:
    """Overwrite the sequence field of the frame header at ``offset`` of the payload ring (as a
    corruption would), leaving its payload_size alone."""
    shm = _open(name)
    try:
        at = _frame_header_at(shm, name, offset)
        L.U64.pack_into(shm.buf, at + 8, sequence & 0xFFFF_FFFF_FFFF_FFFF)
    finally:
        shm.close()


def write_frame_payload_size(name: str, offset: int, payload_size: int) -> None:
    """Overwrite the payload_size field of the frame header at ``offset`` of the payload ring (as a
    corruption would), leaving its sequence alone. Any value goes: the reader must refuse what does not fit."""
    shm = _open(name)
    try:
        at = _frame_header_at(shm, name, offset)
        L.U64.pack_into(shm.buf, at, payload_size & 0xFFFF_FFFF_FFFF_FFFF)
    finally:
        shm.close()


def _frame_header_at(shm: SharedMemory, name: str, offset: int) -> int:
    """Absolute position of a frame header at ring ``offset``; ValueError when 16 bytes do not fit."""
    start, end = _region(shm, "payload")
    if offset < 0 or start + offset + L.FRAME_HEADER_SIZE > end:
        raise ValueError(f"a {L.FRAME_HEADER_SIZE}-byte frame header at payload offset {offset} does not fit "
                         f"the {end - start}-byte payload ring of buffer '{name}'")
    return start + offset


def _semaphore_name(name: str, which: Semaphore) -> str:
    return _names.sem_write_name(name) if which == "written" else _names.sem_read_name(name)


def post_semaphore(name: str, which: Semaphore, count: int = 1) -> None:
    """Post the buffer's sem-w ("written") or sem-r ("freed") semaphore ``count`` times."""
    semaphore = NamedSemaphore(_semaphore_name(name, which), create=False)
    try:
        for _ in range(count):
            semaphore.post()
    finally:
        semaphore.close()


def semaphore_value(name: str, which: Semaphore) -> int:
    """The value (sem_getvalue) of the buffer's sem-w ("written") or sem-r ("freed") semaphore."""
    _names.validate_name(name)
    semaphore = NamedSemaphore(_semaphore_name(name, which), create=False)
    try:
        return semaphore.value()
    finally:
        semaphore.close()


def existing_objects(name: str) -> dict[str, bool]:
    """Which OS objects of the buffer exist: ``shm``, ``sem-w``, ``sem-r`` and ``lock`` (the lock file).

    Linux keeps shared memory in /dev/shm and a named semaphore ``/x`` as /dev/shm/sem.x.
    """
    _names.validate_name(name)
    return {"shm": os.path.exists(f"/dev/shm/{name}"),
            "sem-w": os.path.exists(f"/dev/shm/sem.{_names.sem_write_name(name)}"),
            "sem-r": os.path.exists(f"/dev/shm/sem.{_names.sem_read_name(name)}"),
            "lock": os.path.exists(_names.lock_path(name))}


# Where Linux keeps POSIX shared memory and named semaphores (a semaphore "/x" is /dev/shm/sem.x).
SHM_DIR = "/dev/shm"


def object_files(name: str) -> list[dict[str, object]]:
    """The buffer's OS objects as files at the paths PROTOCOL.md §1 gives them on Linux, spelled out
    here rather than asked of the library's naming code: shm, sem-w, sem-r and the lock file, in that
    order, each ``{"kind", "path", "exists", "mode"}`` (mode: the permission bits, None when missing)."""
    _names.validate_name(name)
    paths = (("shared memory", os.path.join(SHM_DIR, name)),
             ("sem-w", os.path.join(SHM_DIR, "sem.sem-w-" + name)),
             ("sem-r", os.path.join(SHM_DIR, "sem.sem-r-" + name)),
             ("lock file", _names.lock_path(name)))
    files: list[dict[str, object]] = []
    for kind, path in paths:
        try:
            mode: Optional[int] = stat.S_IMODE(os.stat(path).st_mode)
        except FileNotFoundError:
            mode = None
        files.append({"kind": kind, "path": path, "exists": mode is not None, "mode": mode})
    return files


def objects_named_after(fragment: str) -> list[str]:
    """Every entry of /dev/shm and the lock directory whose file name contains fragment. The fragment
    is not validated: this is how a test shows that an invalid name reached no OS call."""
    found: list[str] = []
    for directory in (SHM_DIR, _names.lock_dir()):
        try:
            entries = os.listdir(directory)
        except FileNotFoundError:
            continue
        found.extend(os.path.join(directory, entry) for entry in entries if fragment in entry)
    return found


def layout(name: str) -> dict[str, int]:
    """Where the blocks lie in a mapping of the buffer (PROTOCOL.md §2): ``mapping_address`` (where
    this process mapped it: the OIEB starts there), ``mapping_size``, ``metadata_offset`` (128),
    ``metadata_size``, ``payload_offset`` (right after the metadata block) and ``payload_size``."""
    shm = _open(name)
    try:
        view = ctypes.c_char.from_buffer(shm.buf)
        try:
            address = ctypes.addressof(view)
        finally:
            del view  # the mapping cannot be closed while ctypes still exports it
        metadata_size = L.U64.unpack_from(shm.buf, L.OFF_METADATA_SIZE)[0]
        return {"mapping_address": address, "mapping_size": shm.size, "metadata_offset": L.OIEB_SIZE,
                "metadata_size": metadata_size, "payload_offset": L.OIEB_SIZE + metadata_size,
                "payload_size": L.U64.unpack_from(shm.buf, L.OFF_PAYLOAD_SIZE)[0]}
    finally:
        shm.close()


def lock_file_path(name: str) -> str:
    """Where the buffer's lock file lives (PROTOCOL.md §1)."""
    return _names.lock_path(_names.validate_name(name))


def lock_file_held(name: str) -> bool:
    """Whether someone holds the buffer's lock file: a probe flock(LOCK_EX|LOCK_NB) on a new
    descriptor fails (released at once when it succeeds). False when there is no lock file.

    flock locks belong to the open file description, so this sees a lock held by this process too.
    """
    try:
        fd = os.open(_names.lock_path(_names.validate_name(name)), os.O_RDONLY | os.O_CLOEXEC)
    except FileNotFoundError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)  # closing drops the probe's lock, if it got one
    return False


def dead_pid() -> int:
    """The pid of a child process that was started and reaped: known to name no live process
    (until the kernel reuses it, which takes a full turn of the pid space)."""
    child = subprocess.Popen(["/bin/true"], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
    child.wait()
    return child.pid


def abandon(endpoint: Union[Reader, Writer]) -> None:
    """Leave a Reader or Writer as a killed process would: every descriptor closed (so a reader's
    flock goes away), nothing unlinked, no OIEB field reset. Its later close() does nothing.

    Frames a reader handed out lose their ring: releasing them afterwards touches nothing.
    """
    if isinstance(endpoint, Writer):
        endpoint._connected = False  # close() must not clear writer_pid
        endpoint._close_handles()
        return
    for frame in endpoint._outstanding_frames():
        frame._on_release = None
        frame.dispose()
    endpoint._outstanding.clear()
    if endpoint._mapping is not None:
        endpoint._mapping.release()
        endpoint._mapping = None
    for attr in ("_sem_w", "_sem_r"):
        semaphore: Optional[NamedSemaphore] = getattr(endpoint, attr)
        if semaphore is not None:
            semaphore.close()
            setattr(endpoint, attr, None)
    if endpoint._shm is not None:
        endpoint._shm.close()
        endpoint._shm = None
    if endpoint._lock is not None:
        endpoint._lock.release(delete=False)
        endpoint._lock = None


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
