"""Content-Length framing on BytesIO: no processes needed."""

from __future__ import annotations

import io

import pytest

from zerobuffer_serve.wire import (MAX_BODY, BadHeaderError, ConnectionLostError, ContentLengthReader,
                                   ContentLengthWriter)


def frame(body: bytes, extra: bytes = b"") -> bytes:
    return b"Content-Length: %d\r\n%s\r\n" % (len(body), extra) + body


class TrickleStream(io.RawIOBase):
    """Hands out at most one byte per read (partial reads everywhere)."""

    def __init__(self, data: bytes) -> None:
        self._data = io.BytesIO(data)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray) -> int:  # type: ignore[override]
        chunk = self._data.read(1)
        buffer[: len(chunk)] = chunk
        return len(chunk)


def test_single_and_multiple_messages() -> None:
    reader = ContentLengthReader(io.BytesIO(frame(b'{"a":1}') + frame(b"[]") + frame(b"{}")))
    assert [reader.read(), reader.read(), reader.read(), reader.read()] == [b'{"a":1}', b"[]", b"{}", None]


def test_partial_reads() -> None:
    data = frame(b'{"x":"' + b"y" * 5000 + b'"}') + frame(b"{}")
    reader = ContentLengthReader(io.BufferedReader(TrickleStream(data)))  # type: ignore[arg-type]
    assert len(reader.read() or b"") == 5008
    assert reader.read() == b"{}"


def test_length_counts_utf8_bytes() -> None:
    body = '{"s":"héllo wörld €"}'.encode("utf-8")
    assert len(body) != len(body.decode("utf-8"))
    reader = ContentLengthReader(io.BytesIO(frame(body) + frame(b"{}")))
    assert reader.read() == body and reader.read() == b"{}"


def test_other_headers_ignored_case_insensitive() -> None:
    data = b"content-type: application/vscode-jsonrpc\r\nCONTENT-LENGTH: 2\r\n\r\n{}"
    assert ContentLengthReader(io.BytesIO(data)).read() == b"{}"


@pytest.mark.parametrize("header", [b"Content-Length: -4", b"Content-Length: abc",
                                    b"X-Other: 1", b"Content-Length:"])
def test_bad_header_then_resync(header: bytes) -> None:
    data = header + b"\r\n\r\n" + b'{"junk":true}' + frame(b'{"ok":1}')
    reader = ContentLengthReader(io.BytesIO(data))
    with pytest.raises(BadHeaderError):
        reader.read()
    assert reader.read() == b'{"ok":1}'
    assert reader.read() is None


def test_oversized_length_is_refused_without_reading_the_body_then_resync() -> None:
    data = b"Content-Length: %d\r\n\r\n" % (MAX_BODY + 1) + b'{"huge":"body"}' + frame(b'{"ok":1}')
    reader = ContentLengthReader(io.BytesIO(data))
    with pytest.raises(BadHeaderError, match="exceeds"):
        reader.read()
    assert reader.read() == b'{"ok":1}'
    assert reader.read() is None


def test_the_limit_is_configurable_and_inclusive() -> None:
    reader = ContentLengthReader(io.BytesIO(frame(b"1234") + frame(b"12345") + frame(b"{}")), max_body=4)
    assert reader.read() == b"1234"
    with pytest.raises(BadHeaderError):
        reader.read()
    assert reader.read() == b"{}"


def test_eof_mid_body_and_mid_header() -> None:
    with pytest.raises(ConnectionLostError):
        ContentLengthReader(io.BytesIO(b"Content-Length: 10\r\n\r\n{}")).read()
    with pytest.raises(ConnectionLostError):
        ContentLengthReader(io.BytesIO(b"Content-Length: 10\r\n")).read()


def test_writer_frames_exactly() -> None:
    out = io.BytesIO()
    ContentLengthWriter(out).write('{"é":1}'.encode("utf-8"))
    assert out.getvalue() == b'Content-Length: 8\r\n\r\n{"\xc3\xa9":1}'
