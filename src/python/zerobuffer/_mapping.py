"""Typed access to a mapped buffer: the OIEB as u64 fields, the atomic free counter, the payload ring."""

from __future__ import annotations

import sys
from typing import Optional

from . import _layout as L
from ._posix import AtomicU64, atomic_load_u32, atomic_store_u32, buffer_address
from ._resources import SharedMemory

_U64_MASK = (1 << 64) - 1

if sys.byteorder != "little":  # the OIEB is read through native-order views
    raise ImportError("zerobuffer supports little-endian hosts only")


class Mapping:
    """Views over one SharedMemory. ``release()`` drops every view so the mmap can be closed.

    Single-writer u64 fields go through a memoryview cast to "Q": CPython copies an aligned 8-byte
    item with one load/store, which is atomic on x86-64 and AArch64; cross-process ordering of those
    fields and the frame bytes comes from sem_post/sem_wait (full barriers). Only
    ``payload_free_bytes``, written by both sides, uses the libatomic read-modify-write.
    """

    oieb: memoryview
    view: memoryview

    def __init__(self, shm: SharedMemory) -> None:
        self.shm = shm
        self.view = memoryview(shm.buf)
        self.oieb = self.view[: L.OIEB_SIZE].cast("Q")
        self.address = buffer_address(shm.buf)
        # payload_free_bytes, the one field both processes change (readers and writers use it per frame)
        self.free: Optional[AtomicU64] = AtomicU64(self.address + L.OFF_PAYLOAD_FREE)
        self.payload: Optional[memoryview] = None

    def bind_payload(self, metadata_size: int, payload_size: int) -> None:
        """Create the payload view once the aligned sizes are known."""
        start = L.payload_offset(metadata_size)
        self.payload = self.view[start: start + payload_size]

    def load_oieb_size(self) -> int:
        """Acquire-load of oieb_size (0 while the reader is still setting up)."""
        return atomic_load_u32(self.address + L.OFF_OIEB_SIZE)

    def publish_oieb_size(self) -> None:
        """Release-store oieb_size = 128: every earlier OIEB write is visible before it."""
        atomic_store_u32(self.address + L.OFF_OIEB_SIZE, L.OIEB_SIZE)

    def free_bytes(self) -> int:
        """Acquire-load of payload_free_bytes."""
        assert self.free is not None
        return self.free.load()

    def add_free(self, amount: int) -> None:
        """Atomic payload_free_bytes += amount."""
        assert self.free is not None
        self.free.fetch_add(amount)

    def sub_free(self, amount: int) -> None:
        """Atomic payload_free_bytes -= amount."""
        assert self.free is not None
        self.free.fetch_sub(amount)

    def increment(self, index: int) -> None:
        """Add 1 to a single-writer u64 counter, wrapping modulo 2^64 (PROTOCOL.md §5)."""
        self.oieb[index] = (self.oieb[index] + 1) & _U64_MASK

    def version(self) -> tuple[int, int, int, int]:
        """The four version bytes at 0x04."""
        raw = self.view[L.OFF_VERSION: L.OFF_VERSION + 4]
        return raw[0], raw[1], raw[2], raw[3]

    def release(self) -> None:
        """Release every view (payload, OIEB, whole mapping); safe to call twice."""
        for name in ("payload", "oieb", "view"):
            current = getattr(self, name, None)
            if current is not None:
                current.release()
            setattr(self, name, None)
        self.address = 0
        self.free = None
