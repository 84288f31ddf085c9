"""Regression tests of issue 15/16 in the Python library: zero-copy metadata, the lock directory."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import tempfile

import pytest

from conftest import SRC, child_env, leftovers, unique_name
from zerobuffer import (BufferConfig, MetadataAlreadyWrittenException, MetadataTooLargeException, Reader,
                        SequenceErrorException, Writer, ZeroBufferException)
from zerobuffer.diagnostics import inspect_buffer, write_region_bytes


def test_metadata_filled_in_place_reads_back_and_is_written_once(name: str) -> None:
    with Reader(name, BufferConfig(256, 4096)) as reader, Writer(name) as writer:
        view = writer.get_metadata_buffer(5)
        view[:] = b"hello"
        assert reader.get_metadata() is None  # nothing is visible before the commit
        writer.commit_metadata()
        metadata = reader.get_metadata()
        assert metadata is not None and bytes(metadata) == b"hello"
        metadata.release()
        with pytest.raises(MetadataAlreadyWrittenException):
            writer.get_metadata_buffer(1)


def test_metadata_buffer_refuses_what_does_not_fit_and_a_commit_without_buffer(name: str) -> None:
    with Reader(name, BufferConfig(64, 4096)), Writer(name) as writer:
        with pytest.raises(MetadataTooLargeException):
            writer.get_metadata_buffer(57)
        with pytest.raises(ZeroBufferException):
            writer.commit_metadata()
        assert len(writer.get_metadata_buffer(56)) == 56


@pytest.mark.parametrize("umask", [0o000, 0o022, 0o077])
def test_the_lock_directory_is_1777_whatever_the_umask(umask: int, monkeypatch: pytest.MonkeyPatch) -> None:
    with tempfile.TemporaryDirectory() as parent:
        directory = os.path.join(parent, "locks")
        monkeypatch.setenv("ZEROBUFFER_LOCK_DIR", directory)
        previous = os.umask(umask)
        try:
            with Reader(unique_name("umask"), BufferConfig(0, 4096)):
                pass
        finally:
            os.umask(previous)
        assert stat.S_IMODE(os.stat(directory).st_mode) == 0o1777


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to act as a second user")
def test_another_users_unreadable_lock_file_is_skipped_by_the_stale_sweep(
        monkeypatch: pytest.MonkeyPatch) -> None:
    with tempfile.TemporaryDirectory() as parent:
        os.chmod(parent, 0o755)
        directory = os.path.join(parent, "locks")
        monkeypatch.setenv("ZEROBUFFER_LOCK_DIR", directory)
        with Reader(unique_name("root"), BufferConfig(0, 4096)):
            pass  # creates the 1777 directory as root
        foreign = os.path.join(directory, unique_name("foreign") + ".lock")
        with open(foreign, "w", encoding="utf-8"):
            pass
        os.chmod(foreign, 0o600)  # root's: "nobody" cannot open it
        name = unique_name("nobody")
        code = ("from zerobuffer import BufferConfig, Reader\n"
                f"with Reader({name!r}, BufferConfig(0, 4096)): print('CREATED')\n")
        # "nobody" may not be able to read the checkout (a clone under a 0700 temp dir): give it its own
        # readable copy of the package.
        packages = os.path.join(parent, "packages")
        shutil.copytree(os.path.join(SRC, "zerobuffer"), os.path.join(packages, "zerobuffer"),
                        ignore=shutil.ignore_patterns("__pycache__"))
        env = child_env() | {"ZEROBUFFER_LOCK_DIR": directory, "PYTHONPATH": packages}
        result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                                user="nobody", timeout=60, cwd="/")
        assert result.stdout.strip() == "CREATED", result.stderr
        assert os.path.exists(foreign)
        assert not leftovers(name)


def test_a_restart_at_1_after_the_previous_writer_left_is_accepted(name: str) -> None:
    """Both writers closed before the reader read: no writer is connected, so the 1 is a restart."""
    with Reader(name, BufferConfig(0, 4096)) as reader:
        for _ in range(2):
            with Writer(name) as writer:
                writer.write_frame(b"x")
            frame = reader.read_frame(1.0)
            assert frame is not None and frame.sequence == 1
            frame.dispose()


def test_a_zero_header_at_offset_0_is_validated_not_wrapped(name: str) -> None:
    """A writer never puts a marker at 0: a zero header there is a SequenceError (sequence first,
    PROTOCOL.md §4) and credits no ring space, as in C# and C++."""
    with Reader(name, BufferConfig(0, 1024)) as reader, Writer(name) as writer:
        writer.write_frame(bytes(64))
        free_before = inspect_buffer(name)["payload_free_bytes"]
        write_region_bytes(name, "payload", 0, bytes(16))
        with pytest.raises(SequenceErrorException):
            reader.read_frame(1.0)
        assert inspect_buffer(name)["payload_free_bytes"] == free_before
