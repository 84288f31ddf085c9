"""All ctypes bindings of ZeroBuffer: POSIX named semaphores and 64-bit atomics.

This is the only module that imports ctypes.

Semaphores: glibc's ``sem_open`` is variadic (``name, oflag, ...mode, value``). We declare the
4-argument form; on the SysV x86-64 and AArch64 ABIs integer variadic arguments travel in the same
registers as fixed ones, and opening an existing semaphore simply passes mode = value = 0, which
glibc ignores without O_CREAT. tests/test_posix.py exercises both forms. glibc >= 2.34 has the
functions in libc; older ones in librt, tried second.

Atomics: ``payload_free_bytes`` is updated by both processes, so every change must be one atomic
read-modify-write that is also atomic against C# ``Interlocked.Add`` and C++ ``__atomic_fetch_add``
in the other process. Pure Python has no such operation, and ZeroBuffer needs no compiler at run time,
so we call GCC's runtime library ``libatomic.so.1`` (Debian package ``libatomic1``):
``__atomic_fetch_add_8(ptr, val, order)`` / ``__atomic_fetch_sub_8`` are a single ``lock xadd`` on
x86-64 (LSE ``ldaddal`` or an LL/SC loop on AArch64) for an 8-byte aligned address, i.e. exactly the
instruction the other languages emit, so the update is atomic across processes. ``__atomic_load_*`` /
``__atomic_store_*`` give acquire/release ordering where the protocol asks for it (publishing
``oieb_size`` last). The ctypes call releases no lock we depend on; it costs well under a microsecond.
"""

from __future__ import annotations

import ctypes
import os
import time
from typing import Any, Callable, Optional

from .errors import from_os_error

_ORDER_ACQUIRE = 2
_ORDER_RELEASE = 3
_ORDER_SEQ_CST = 5
_U64_MASK = (1 << 64) - 1
_SEM_FAILED = ctypes.c_void_p(-1).value

# Before it sleeps, NamedSemaphore.wait polls sem_trywait for up to POLL_SECONDS: a peer that posts
# meanwhile finds no sleeper, so neither side pays a futex wake-up (C# and C++ poll the same way).
# It pays off only while the peer runs on another core. When the scheduler puts both on one core (a busy
# host), the peer cannot post until the poller gives the core up, and every poll is lost time (the 64 B
# round trip grew by twice the window on a loaded 2-core host). So the poll adapts, like an adaptive mutex: after
# _POLL_MISSES_TO_PAUSE polls in a row that ended asleep, it polls only on every _POLL_RETRY_EVERY-th
# wait, until one succeeds. No poll on a single CPU. A/B figures: docs/benchmarks.md (Python).
POLL_SECONDS = 50e-6 if len(os.sched_getaffinity(0)) > 1 else 0.0
_POLL_MISSES_TO_PAUSE = 4
_POLL_RETRY_EVERY = 16


class _Timespec(ctypes.Structure):
    _fields_ = [("tv_sec", ctypes.c_long), ("tv_nsec", ctypes.c_long)]


def _errcheck_minus_one(result: int, func: Any, args: tuple[Any, ...]) -> int:
    """Turn the C convention (-1 + errno) into OSError naming the first argument when it is a name."""
    if result == -1:
        err = ctypes.get_errno()
        name = args[0].decode() if args and isinstance(args[0], bytes) else None
        raise OSError(err, os.strerror(err), name)
    return result


def _errcheck_sem_open(result: Optional[int], func: Any, args: tuple[Any, ...]) -> int:
    if result is None or result == _SEM_FAILED:
        err = ctypes.get_errno()
        raise OSError(err, os.strerror(err), args[0].decode())
    return result


def _load_sem_library() -> ctypes.CDLL:
    for candidate in ("libc.so.6", "librt.so.1"):
        lib = ctypes.CDLL(candidate, use_errno=True)
        if hasattr(lib, "sem_timedwait"):
            return lib
    raise ImportError("zerobuffer: no sem_open/sem_timedwait in libc.so.6 or librt.so.1")


def _load_libatomic() -> ctypes.CDLL:
    try:
        return ctypes.CDLL("libatomic.so.1")
    except OSError as exc:
        raise ImportError(
            "zerobuffer needs libatomic.so.1 for cross-process atomic counters "
            "(Debian/Ubuntu: apt-get install libatomic1)") from exc


_sem = _load_sem_library()
_sem_open = _sem.sem_open
_sem_open.argtypes = [ctypes.c_char_p, ctypes.c_int, ctypes.c_uint, ctypes.c_uint]
_sem_open.restype = ctypes.c_void_p
_sem_open.errcheck = _errcheck_sem_open  # type: ignore[assignment]

_sem_post = _sem.sem_post
_sem_trywait = _sem.sem_trywait
_sem_wait = _sem.sem_wait
_sem_close = _sem.sem_close
for _fn in (_sem_post, _sem_trywait, _sem_wait, _sem_close):
    _fn.argtypes = [ctypes.c_void_p]
    _fn.restype = ctypes.c_int
    _fn.errcheck = _errcheck_minus_one  # type: ignore[assignment]
_sem_timedwait = _sem.sem_timedwait
_sem_timedwait.argtypes = [ctypes.c_void_p, ctypes.POINTER(_Timespec)]
_sem_timedwait.restype = ctypes.c_int
_sem_timedwait.errcheck = _errcheck_minus_one  # type: ignore[assignment]
# Hot-path twins for the per-frame calls, each of which returns at once: loaded through PyDLL, so a call
# keeps the GIL instead of releasing and retaking it; no errno capture (use_errno costs about a quarter
# of a call); no argtypes: callers pass ready ctypes objects (NamedSemaphore.ptr, AtomicU64), so no
# argument is converted. Together about 40 % of a checked call. A failing fast call is followed by the
# checked one, which reports the errno.
_fast = ctypes.PyDLL(_sem._name)
_sem_trywait_fast = _fast["sem_trywait"]
_sem_trywait_fast.restype = ctypes.c_int
_sem_post_fast = _fast["sem_post"]
_sem_post_fast.restype = ctypes.c_int
_sem_getvalue = _sem.sem_getvalue
_sem_getvalue.argtypes = [ctypes.c_void_p, ctypes.POINTER(ctypes.c_int)]
_sem_getvalue.restype = ctypes.c_int
_sem_getvalue.errcheck = _errcheck_minus_one  # type: ignore[assignment]
_sem_unlink = _sem.sem_unlink
_sem_unlink.argtypes = [ctypes.c_char_p]
_sem_unlink.restype = ctypes.c_int
_sem_unlink.errcheck = _errcheck_minus_one  # type: ignore[assignment]

_atomic = _load_libatomic()
_fetch_add_8: Callable[[int, int, int], int] = _atomic.__atomic_fetch_add_8
_fetch_add_8.argtypes = [ctypes.c_void_p, ctypes.c_uint64, ctypes.c_int]  # type: ignore[attr-defined]
_fetch_add_8.restype = ctypes.c_uint64  # type: ignore[attr-defined]
_fetch_sub_8: Callable[[int, int, int], int] = _atomic.__atomic_fetch_sub_8
_fetch_sub_8.argtypes = [ctypes.c_void_p, ctypes.c_uint64, ctypes.c_int]  # type: ignore[attr-defined]
_fetch_sub_8.restype = ctypes.c_uint64  # type: ignore[attr-defined]
_load_8: Callable[[int, int], int] = _atomic.__atomic_load_8
_load_8.argtypes = [ctypes.c_void_p, ctypes.c_int]  # type: ignore[attr-defined]
_load_8.restype = ctypes.c_uint64  # type: ignore[attr-defined]
_load_4: Callable[[int, int], int] = _atomic.__atomic_load_4
_load_4.argtypes = [ctypes.c_void_p, ctypes.c_int]  # type: ignore[attr-defined]
_load_4.restype = ctypes.c_uint32  # type: ignore[attr-defined]
_store_4: Callable[[int, int, int], None] = _atomic.__atomic_store_4
_store_4.argtypes = [ctypes.c_void_p, ctypes.c_uint32, ctypes.c_int]  # type: ignore[attr-defined]
_store_4.restype = None  # type: ignore[attr-defined]


# Hot-path twins of the counter operations (PyDLL, no argtypes; see _fast above and AtomicU64).
_atomic_fast = ctypes.PyDLL(_atomic._name)
_fetch_add_8_fast = _atomic_fast["__atomic_fetch_add_8"]
_fetch_add_8_fast.restype = ctypes.c_uint64
_fetch_sub_8_fast = _atomic_fast["__atomic_fetch_sub_8"]
_fetch_sub_8_fast.restype = ctypes.c_uint64
_load_8_fast = _atomic_fast["__atomic_load_8"]
_load_8_fast.restype = ctypes.c_uint64
_AMOUNT_CACHE_LIMIT = 1024


def buffer_address(buf: Any) -> int:
    """Address of the first byte of a writable buffer (an mmap). Valid while the mapping lives.

    The temporary ctypes object is dropped at once so it holds no export on the mmap.
    """
    probe = ctypes.c_char.from_buffer(buf)
    address = ctypes.addressof(probe)
    del probe
    return address


def atomic_fetch_add_u64(address: int, value: int) -> int:
    """Atomically add value to the u64 at address (seq-cst); returns the previous value."""
    return _fetch_add_8(address, value & _U64_MASK, _ORDER_SEQ_CST)


def atomic_fetch_sub_u64(address: int, value: int) -> int:
    """Atomically subtract value from the u64 at address (seq-cst); returns the previous value."""
    return _fetch_sub_8(address, value & _U64_MASK, _ORDER_SEQ_CST)


def atomic_load_u64(address: int) -> int:
    """Acquire-load of the u64 at address."""
    return _load_8(address, _ORDER_ACQUIRE)


def atomic_load_u32(address: int) -> int:
    """Acquire-load of the u32 at address."""
    return _load_4(address, _ORDER_ACQUIRE)


def atomic_store_u32(address: int, value: int) -> None:
    """Release-store of value into the u32 at address."""
    _store_4(address, value, _ORDER_RELEASE)


class AtomicU64:
    """One shared u64 updated by both processes (payload_free_bytes), on the per-frame path.

    Same operations as atomic_fetch_add_u64 & co., at about two thirds of their cost: the address is a
    ready c_void_p and each amount a c_uint64 made once per distinct value (frame sizes repeat), so a
    call converts no argument.
    """

    __slots__ = ("_ptr", "_amounts")

    def __init__(self, address: int) -> None:
        self._ptr = ctypes.c_void_p(address)
        self._amounts: dict[int, ctypes.c_uint64] = {}

    def _amount(self, value: int) -> ctypes.c_uint64:
        amount = ctypes.c_uint64(value & _U64_MASK)
        if len(self._amounts) < _AMOUNT_CACHE_LIMIT:
            self._amounts[value] = amount
        return amount

    def load(self) -> int:
        """Acquire-load."""
        return _load_8_fast(self._ptr, _ORDER_ACQUIRE)  # type: ignore[no-any-return]

    def fetch_add(self, value: int) -> int:
        """Seq-cst add; returns the previous value."""
        amount = self._amounts.get(value)
        if amount is None:
            amount = self._amount(value)
        return _fetch_add_8_fast(self._ptr, amount, _ORDER_SEQ_CST)  # type: ignore[no-any-return]

    def fetch_sub(self, value: int) -> int:
        """Seq-cst subtract; returns the previous value."""
        amount = self._amounts.get(value)
        if amount is None:
            amount = self._amount(value)
        return _fetch_sub_8_fast(self._ptr, amount, _ORDER_SEQ_CST)  # type: ignore[no-any-return]


class NamedSemaphore:
    """A POSIX named semaphore handle. Closing and unlinking are separate (ownership decision)."""

    _handle: Optional[int] = None
    ptr: Optional[ctypes.c_void_p] = None
    _poll_misses = 0  # polls in a row that ended asleep (see POLL_SECONDS)

    def __init__(self, name: str, create: bool, mode: int = 0o600) -> None:
        """Open ``/<name>`` (``create``: O_CREAT|O_EXCL with value 0); errors are typed and named."""
        self.name = name
        flags = (os.O_CREAT | os.O_EXCL) if create else 0
        try:
            self._handle = _sem_open(b"/" + name.encode(), flags, mode if create else 0, 0)
        except OSError as exc:
            raise from_os_error(exc, name, "sem_open") from None
        self.ptr = ctypes.c_void_p(self._handle)  # for the unconverted hot-path calls

    def post(self) -> None:
        """Increment the semaphore."""
        if _sem_post_fast(self.ptr) != 0:
            try:
                _sem_post(self._handle)  # the checked call reports the errno (EINVAL, EOVERFLOW)
            except OSError as exc:
                raise from_os_error(exc, self.name, "sem_post") from None

    def wait(self, timeout: Optional[float], poll: bool = True) -> bool:
        """Decrement, waiting up to ``timeout`` seconds (None = forever). False on timeout.

        ``poll``: before sleeping, poll with sem_trywait for up to POLL_SECONDS (see there; the bench's
        ping-pong baseline passes False, to measure the bare wake-up). A zero timeout only tries once.
        """
        ptr = self.ptr
        if _sem_trywait_fast(ptr) == 0:  # fast path: a post is usually already there
            return True
        if timeout is not None and timeout <= 0:
            return self._try_once()
        deadline = None if timeout is None else time.time() + timeout  # first: the poll counts against it
        if poll and POLL_SECONDS > 0:
            misses = self._poll_misses
            if misses < _POLL_MISSES_TO_PAUSE or misses % _POLL_RETRY_EVERY == 0:
                clock = time.perf_counter
                poll_until = clock() + POLL_SECONDS
                while clock() < poll_until:
                    if _sem_trywait_fast(ptr) == 0:
                        self._poll_misses = 0
                        return True
            self._poll_misses = misses + 1
        if deadline is None:
            while True:
                try:
                    _sem_wait(self._handle)
                    return True
                except InterruptedError:
                    continue
                except OSError as exc:
                    raise from_os_error(exc, self.name, "sem_wait") from None
        while True:  # EINTR: wait again for the same deadline
            sec = int(deadline)
            spec = _Timespec(sec, int((deadline - sec) * 1e9))
            try:
                _sem_timedwait(self._handle, ctypes.byref(spec))
                return True
            except TimeoutError:
                return False
            except InterruptedError:
                continue
            except OSError as exc:
                raise from_os_error(exc, self.name, "sem_timedwait") from None

    def _try_once(self) -> bool:
        """One checked sem_trywait: True when it took a count, False when there was none."""
        try:
            _sem_trywait(self._handle)
            return True
        except (BlockingIOError, InterruptedError):
            return False
        except OSError as exc:
            raise from_os_error(exc, self.name, "sem_trywait") from None

    def value(self) -> int:
        """Current count (diagnostics only)."""
        out = ctypes.c_int(0)
        _sem_getvalue(self._handle, ctypes.byref(out))
        return out.value

    def close(self) -> None:
        """Close the handle; safe to call twice."""
        handle, self._handle = self._handle, None
        self.ptr = None
        if handle is not None:
            _sem_close(handle)

    @staticmethod
    def unlink(name: str) -> bool:
        """Remove ``/<name>``; False when it did not exist."""
        try:
            _sem_unlink(b"/" + name.encode())
            return True
        except FileNotFoundError:
            return False
        except OSError as exc:
            raise from_os_error(exc, name, "sem_unlink") from None

    def __del__(self) -> None:
        try:
            self.close()
        except OSError:
            pass
