"""Duplex channel (PROTOCOL.md §8): both processing modes, threads sharing a client, the dispose
paths, client sessions, and the bytes on the wire (a plain Reader/Writer pair plays the 1.x peer)."""

from __future__ import annotations

import os
import struct
import threading
import time
import tracemalloc
from typing import Iterator, List, Optional

import pytest
from conftest import spawn_python, unique_name, wait_line

from zerobuffer import (BufferConfig, BufferNotFoundException, Frame, InvalidBufferNameException,
                        Reader, ReaderDeadException, WriterDeadException, Writer)
from zerobuffer.duplex import (DuplexChannelFactory, DuplexClient, ProcessingMode, ServerOptions,
                               encode_metadata_record, is_correlated_metadata, request_name,
                               response_name)

CONFIG = BufferConfig(metadata_size=1024, payload_size=1 << 20)
TIMEOUT_MS = 10_000
factory = DuplexChannelFactory()


def echo(frame: Frame) -> bytes:
    return bytes(frame.data)


def receive(client: DuplexClient) -> tuple[int, bytes]:
    with client.receive_response(TIMEOUT_MS) as response:
        assert response.is_valid, "no response within the timeout"
        return response.sequence, response.to_bytes()


def shm_exists(name: str) -> bool:
    return os.path.exists(f"/dev/shm/{name}")


@pytest.fixture
def channel() -> Iterator[str]:
    name = unique_name("dx")
    yield name
    assert not shm_exists(request_name(name)) and not shm_exists(response_name(name))


@pytest.mark.parametrize("mode", list(ProcessingMode))
def test_echo_returns_each_request_with_its_sequence(channel: str, mode: ProcessingMode) -> None:
    with factory.create_immutable_server(channel, CONFIG) as server:
        server.start(echo, mode=mode)
        with factory.create_client(channel, CONFIG) as client:
            for size in (1, 1024, 100 * 1024, 1):
                data = bytes((size + i) & 0xFF for i in range(size))
                sequence = client.send_request(data)
                assert receive(client) == (sequence, data)
            assert client.is_correlated is (mode is ProcessingMode.THREAD_POOL)


def test_zero_copy_request_keeps_its_pattern(channel: str) -> None:
    with factory.create_immutable_server(channel, CONFIG) as server:
        server.start(echo)
        with factory.create_client(channel, CONFIG) as client:
            sequence, buffer = client.acquire_request_buffer(4096)
            buffer[:] = bytes(i & 0xFF for i in range(4096))
            client.commit_request()
            assert receive(client) == (sequence, bytes(i & 0xFF for i in range(4096)))


def test_correlated_server_answers_in_reverse_and_every_response_matches(channel: str) -> None:
    def slow_echo(frame: Frame) -> bytes:
        time.sleep(0.06 * (11 - frame.sequence))
        return bytes(frame.data)

    with factory.create_immutable_server(channel, CONFIG) as server:
        server.start(slow_echo, options=ServerOptions(mode=ProcessingMode.THREAD_POOL, handlers=10))
        with factory.create_client(channel, CONFIG) as client:
            sent = {client.send_request(bytes([i]) * (i + 1)): bytes([i]) * (i + 1) for i in range(10)}
            order: List[int] = []
            for _ in range(10):
                sequence, data = receive(client)
                assert sent[sequence] == data
                order.append(sequence)
    assert sorted(order) == sorted(sent) and order != sorted(order)


def test_single_thread_server_handles_one_request_at_a_time_in_order(channel: str) -> None:
    def slow_echo(frame: Frame) -> bytes:
        time.sleep(0.3)
        return bytes(frame.data)

    with factory.create_immutable_server(channel, CONFIG) as server:
        server.start(slow_echo)
        with factory.create_client(channel, CONFIG) as client:
            started = time.monotonic()
            sent = [client.send_request(bytes([i])) for i in range(3)]
            received = [receive(client)[0] for _ in range(3)]
            assert time.monotonic() - started >= 0.88
            assert received == sent


@pytest.mark.parametrize("mode", list(ProcessingMode))
def test_threads_sharing_a_client_get_exactly_their_responses(channel: str, mode: ProcessingMode) -> None:
    def jittery_echo(frame: Frame) -> bytes:
        time.sleep((frame.data[1] % 5) / 1000)
        return bytes(frame.data)

    failures: List[str] = []
    with factory.create_immutable_server(channel, CONFIG) as server:
        server.start(jittery_echo, options=ServerOptions(mode=mode, handlers=4))
        with factory.create_client(channel, CONFIG) as client:
            def run(t: int) -> None:
                mine = {client.send_request(bytes([t, i, 0xAB])) for i in range(20)}
                for _ in range(20):
                    with client.receive_response(TIMEOUT_MS) as response:
                        if not response.is_valid or response.data[0] != t or response.sequence not in mine:
                            failures.append(f"thread {t} got {response!r}")
                        mine.discard(response.sequence)
                if mine:
                    failures.append(f"thread {t} missed {sorted(mine)}")

            threads = [threading.Thread(target=run, args=(t,)) for t in range(5)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(60)
                assert not thread.is_alive(), "a client thread hung"
    assert failures == []


def test_mutable_and_immutable_servers_give_the_same_xor() -> None:
    mutable_channel, immutable_channel = unique_name("dxm"), unique_name("dxi")

    def xor_in_place(frame: Frame) -> None:
        data = frame.data
        for i in range(len(data)):
            data[i] ^= 0xFF

    with factory.create_mutable_server(mutable_channel, CONFIG) as mutable, \
            factory.create_immutable_server(immutable_channel, CONFIG) as immutable:
        mutable.start(xor_in_place)
        immutable.start(lambda frame: bytes(b ^ 0xFF for b in frame.data))
        request = bytes(i & 0xFF for i in range(10 * 1024))
        with factory.create_client(mutable_channel, CONFIG) as a, factory.create_client(immutable_channel, CONFIG) as b:
            a.send_request(request)
            b.send_request(request)
            via_mutable, via_immutable = receive(a)[1], receive(b)[1]
    assert via_mutable == via_immutable == bytes(x ^ 0xFF for x in request)


def test_mutable_server_memory_does_not_grow_per_request(channel: str) -> None:
    def flip_first(frame: Frame) -> None:
        frame.data[0] ^= 0xFF

    request = bytes(10 * 1024)
    with factory.create_mutable_server(channel, CONFIG) as server:
        server.start(flip_first)
        with factory.create_client(channel, CONFIG) as client:
            for _ in range(50):  # warm up caches and free lists
                client.send_request(request)
                receive(client)
            tracemalloc.start()
            try:
                before = tracemalloc.get_traced_memory()[0]
                for _ in range(500):
                    client.send_request(request)
                    receive(client)
                grown = tracemalloc.get_traced_memory()[0] - before
            finally:
                tracemalloc.stop()
    assert grown < 16 * 1024, f"{grown} bytes kept after 500 requests"


def test_on_init_gets_the_request_metadata_once_before_the_first_request(channel: str) -> None:
    events: List[str] = []

    def handler(frame: Frame) -> bytes:
        events.append(f"frame {frame.sequence}")
        return bytes(frame.data)

    with factory.create_immutable_server(channel, CONFIG) as server:
        server.start(handler, on_init=lambda metadata: events.append(f"init {bytes(metadata).decode()}"))
        with factory.create_client(channel, CONFIG) as client:
            client.set_request_metadata(b"format=raw")
            client.send_request(b"\x01")
            client.send_request(b"\x02")
            receive(client)
            receive(client)
    assert events == ["init format=raw", "frame 1", "frame 2"]


def test_small_response_ring_makes_the_server_wait_for_the_client(channel: str) -> None:
    answered: List[int] = []

    def doubled(frame: Frame) -> bytes:
        return bytes(frame.data) * 2

    def counting(frame: Frame) -> bytes:
        result = doubled(frame)
        answered.append(frame.sequence)  # before the write, so it counts the attempt
        return result

    with factory.create_immutable_server(channel, CONFIG) as server:
        server.start(counting)
        with factory.create_client(channel, BufferConfig(1024, 10 * 1024)) as client:
            client.send_request(bytes(4096))
            client.send_request(bytes(4096))
            client.send_request(bytes(4096))
            time.sleep(0.5)
            assert answered == [1, 2]  # request 2's 8 KiB response waits for space; 3 is not read
            for _ in range(3):
                assert len(receive(client)[1]) == 8192
            assert answered == [1, 2, 3]


def test_stopping_with_pending_requests_fails_them_and_frees_the_name(channel: str) -> None:
    server = factory.create_immutable_server(channel, CONFIG)
    server.start(lambda frame: bytes(frame.data) if frame.sequence <= 3 else None)
    client = factory.create_client(channel, CONFIG)
    for i in range(5):
        client.send_request(bytes([i]))
    for _ in range(3):
        receive(client)
    server.stop()
    assert not server.is_running and not shm_exists(request_name(channel))
    with pytest.raises(WriterDeadException):
        client.receive_response(TIMEOUT_MS)
    assert not client.is_server_connected
    client.close()

    with factory.create_immutable_server(channel, CONFIG) as again:
        again.start(echo)
        with factory.create_client(channel, CONFIG) as next_client:
            sequence = next_client.send_request(b"*")
            assert receive(next_client) == (sequence, b"*")


def test_server_drops_a_gone_client_and_serves_the_next_one(channel: str) -> None:
    started = threading.Event()

    def handler(frame: Frame) -> bytes:
        if frame.data[0] == 1:
            started.set()
            time.sleep(0.5)  # the client leaves meanwhile
        return bytes(frame.data)

    with factory.create_immutable_server(channel, CONFIG) as server:
        server.start(handler)
        first = factory.create_client(channel, CONFIG)
        first.send_request(b"\x01")
        first.send_request(b"\x01")  # left in the ring: must not reach the next client
        assert started.wait(10)
        first.close()
        with factory.create_client(channel, CONFIG) as second:
            sequence = second.send_request(b"\x02")
            assert receive(second) == (sequence, b"\x02")
        assert server.is_running


@pytest.mark.parametrize("mode", list(ProcessingMode))
def test_server_serves_clients_one_after_another(channel: str, mode: ProcessingMode) -> None:
    with factory.create_immutable_server(channel, CONFIG) as server:
        server.start(echo, mode=mode)
        for round_ in range(1, 4):
            with factory.create_client(channel, CONFIG) as client:
                for i in range(3):
                    sequence = client.send_request(bytes([round_, i]))
                    assert receive(client) == (sequence, bytes([round_, i]))


def test_server_survives_a_killed_client_process(channel: str) -> None:
    started = threading.Event()

    def handler(frame: Frame) -> bytes:
        if frame.data[0] == 1:
            started.set()
            time.sleep(1.0)
        return bytes(frame.data)

    with factory.create_immutable_server(channel, CONFIG) as server:
        server.start(handler)
        child = spawn_python(f"""
            from zerobuffer import BufferConfig
            from zerobuffer.duplex import DuplexChannelFactory
            client = DuplexChannelFactory().create_client({channel!r}, BufferConfig(1024, 65536))
            client.send_request(b"\\x01")
            print("READY", flush=True)
            import time; time.sleep(60)
        """)
        try:
            wait_line(child)
            assert started.wait(10)
            child.kill()
        finally:
            child.wait()
        with factory.create_client(channel, CONFIG) as second:
            sequence = second.send_request(b"\x02")
            assert receive(second) == (sequence, b"\x02")


def test_client_gets_reader_dead_when_the_server_process_is_killed(channel: str) -> None:
    child = spawn_python(f"""
        import time
        from zerobuffer import BufferConfig
        from zerobuffer.duplex import DuplexChannelFactory
        server = DuplexChannelFactory().create_immutable_server({channel!r}, BufferConfig(1024, 1 << 21))
        server.start(lambda frame: time.sleep(60))
        print("READY", flush=True)
        time.sleep(60)
    """)
    try:
        wait_line(child)
        client = factory.create_client(channel, CONFIG)
        client.send_request(bytes(1 << 20))
        time.sleep(0.1)
        child.kill()
        child.wait()
        started = time.monotonic()
        with pytest.raises((WriterDeadException, ReaderDeadException)):
            client.receive_response(5000)
        assert time.monotonic() - started < 5
        client.close()
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
        # The killed server could not remove its request buffer; a new reader's stale sweep does.
        Reader(request_name(channel), CONFIG).close()


def test_invalid_names_and_missing_servers_are_refused() -> None:
    with pytest.raises(InvalidBufferNameException):
        factory.create_client("../evil")
    with pytest.raises(InvalidBufferNameException):
        factory.create_immutable_server("a" * 192, CONFIG)
    with pytest.raises(BufferNotFoundException):
        factory.create_client(unique_name("dxnone"))


def test_receive_times_out_with_an_invalid_response(channel: str) -> None:
    with factory.create_immutable_server(channel, CONFIG) as server:
        server.start(lambda frame: None)
        with factory.create_client(channel, CONFIG) as client:
            client.send_request(b"\x01")
            started = time.monotonic()
            response = client.receive_response(300)
            assert not response.is_valid and time.monotonic() - started >= 0.29


# -- wire format ---------------------------------------------------------------------------------

def test_metadata_record_is_zbduplex_version_1_with_the_correlated_flag() -> None:
    assert encode_metadata_record(True) == b"ZBDUPLEX\x01\x00\x00\x00\x01\x00\x00\x00"
    assert is_correlated_metadata(encode_metadata_record(True))
    assert not is_correlated_metadata(encode_metadata_record(False))
    assert not is_correlated_metadata(b"ZBDUPLEX\x02\x00\x00\x00\x01\x00\x00\x00")
    assert not is_correlated_metadata(b"format=raw")
    assert not is_correlated_metadata(None)


def test_in_order_server_answers_a_plain_v1_client_with_bare_frames(channel: str) -> None:
    with factory.create_immutable_server(channel, CONFIG) as server:
        server.start(lambda frame: bytes(frame.data) + b"\xee")
        with Writer(request_name(channel)) as requests, Reader(response_name(channel), CONFIG) as responses:
            for s in range(1, 4):
                requests.write_frame(bytes([s]) * 10)
                frame = responses.read_frame(timeout=10)
                assert frame is not None
                with frame:
                    assert (frame.sequence, bytes(frame.data)) == (s, bytes([s]) * 10 + b"\xee")
            assert not responses.get_metadata()


def test_correlated_server_writes_the_record_and_prefixes_the_request_sequence(channel: str) -> None:
    with factory.create_immutable_server(channel, CONFIG) as server:
        server.start(echo, options=ServerOptions(correlated=True))
        with Writer(request_name(channel)) as requests, Reader(response_name(channel), CONFIG) as responses:
            requests.write_frame(b"\x01\x02\x03")
            frame = responses.read_frame(timeout=10)
            assert frame is not None
            with frame:
                assert is_correlated_metadata(responses.get_metadata())
                assert bytes(frame.data) == struct.pack("<Q", 1) + b"\x01\x02\x03"


def test_client_works_against_a_plain_v1_server(channel: str) -> None:
    with Reader(request_name(channel), CONFIG) as requests:
        with factory.create_client(channel, CONFIG) as client, Writer(response_name(channel)) as responses:
            sequence = client.send_request(b"\x05\x06")
            request: Optional[Frame] = requests.read_frame(timeout=10)
            assert request is not None and request.sequence == sequence
            responses.write_frame(bytes(request.data) + b"\x07")
            request.dispose()
            assert receive(client) == (sequence, b"\x05\x06\x07")


def test_client_unwraps_a_correlated_peer_that_answers_out_of_order(channel: str) -> None:
    with Reader(request_name(channel), CONFIG):
        with factory.create_client(channel, CONFIG) as client, Writer(response_name(channel)) as responses:
            responses.set_metadata(encode_metadata_record(True))
            client.send_request(b"\x01")
            client.send_request(b"\x02")
            responses.write_frame(struct.pack("<Q", 2) + b"\x14")
            responses.write_frame(struct.pack("<Q", 1) + b"\x0a")
            assert receive(client) == (2, b"\x14")
            assert receive(client) == (1, b"\x0a")
