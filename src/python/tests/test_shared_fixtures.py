"""The rule tables every language's suite reads from testdata/ (PROTOCOL.md §5 and §6)."""

from __future__ import annotations

import errno
import json
import os
from typing import Any, Optional

import pytest

from conftest import REPO, unique_name
from zerobuffer import BufferConfig, Reader, Writer, ZeroBufferException
from zerobuffer.diagnostics import write_oieb_field
from zerobuffer.errors import error_type_for_errno, from_os_error

TESTDATA = os.path.join(REPO, "testdata")


def _load(path: str) -> Any:
    with open(os.path.join(TESTDATA, path), encoding="utf-8") as handle:
        return json.load(handle)


VALIDATION = _load("oieb/validation-cases.json")
ERRNO = _load("errno/errno-kinds.json")


def _outcome(action: Any) -> str:
    try:
        action()
    except ZeroBufferException as exc:
        return exc.kind
    return "ok"


def _run_case(case: dict[str, Any]) -> str:
    config = BufferConfig(VALIDATION["config"]["metadata_size"], VALIDATION["config"]["payload_size"])
    name = unique_name("val")
    field, value, when = case["field"], case["value"], case["when"]
    with Reader(name, config) as reader:
        if when == "before-connect":
            write_oieb_field(name, field, value)
            writers: list[Writer] = []
            outcome = _outcome(lambda: writers.append(Writer(name)))
            for writer in writers:
                writer.close()
            return outcome
        with Writer(name) as writer:
            if when == "mid-stream":
                writer.write_frame(bytes(100))
                frame = reader.read_frame(1.0)
                assert frame is not None
                frame.dispose()
                write_oieb_field(name, field, value)
                writer.write_timeout = 0.2
                return _outcome(lambda: writer.write_frame(bytes(100)))
            writer.set_metadata(bytes(range(16)))
            writer.write_frame(bytes(100))
            write_oieb_field(name, field, value)

            def read_back() -> None:
                metadata: Optional[memoryview] = reader.get_metadata()
                if metadata is not None:
                    metadata.release()
                frame = reader.read_frame(1.0)
                assert frame is not None
                frame.dispose()

            return _outcome(read_back)


@pytest.mark.parametrize("case", VALIDATION["cases"],
                         ids=lambda c: f"{c['when']}-{c['field']}={c['value']}")
def test_oieb_validation_case(case: dict[str, Any]) -> None:
    assert _run_case(case) == case["expect"]


@pytest.mark.parametrize("case", ERRNO["cases"], ids=lambda c: c["errno"])
def test_errno_maps_to_the_kind_of_the_table(case: dict[str, Any]) -> None:
    assert getattr(errno, case["errno"]) == case["number"]
    assert error_type_for_errno(case["number"]).kind == case["kind"]


def test_an_unmapped_errno_is_a_system_error_naming_call_errno_and_resource() -> None:
    error = from_os_error(OSError(errno.EIO, os.strerror(errno.EIO)), "/buf", "shm_open")
    assert isinstance(error, ZeroBufferException)
    assert error.kind == "SystemError"
    assert error.errno == errno.EIO
    assert "shm_open '/buf'" in str(error) and "(EIO)" in str(error)
