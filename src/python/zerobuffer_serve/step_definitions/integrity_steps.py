"""What the reader sees is what the writer wrote (feature 07): corrupted sequences, multi-field records."""

from __future__ import annotations

from typing import Any

from zerobuffer import SequenceErrorException, ZeroBufferException

from ..steps.attributes import then, when
from ..steps.context import ScenarioContext
from ..steps.errors import StepAssertionError
from .frame_reading_steps import DEFAULT_READ_TIMEOUT_MS
from .phrases import ROLE
from .support.cpu_load import CpuLoad
from .support.next_unread_frame import HeaderField, set_next_unread_frame_field
from .support.records import FIELD, wrong_field, write_record
from .support.timing import Stopwatch
from .support.zerobuffer_context import zb


@when(ROLE + r"sets the sequence of the next unread frame to '(?P<sequence>\d+)'")
def set_next_unread_sequence(ctx: ScenarioContext, process: str, sequence: int) -> dict[str, Any]:
    """Edit, through the diagnostics API, the sequence of the frame the reader will look at next."""
    edit = set_next_unread_frame_field(zb(ctx).buffer(), HeaderField.SEQUENCE, sequence)
    return {"buffer": edit.buffer, "offset": edit.offset, "previousSequence": edit.previous, "sequence": sequence}


@then(ROLE + r"should fail to read a frame with 'SequenceError' naming expected '(?P<expected>\d+)' "
             r"and actual '(?P<actual>\d+)'")
def fail_with_sequence_error(ctx: ScenarioContext, process: str, expected: int, actual: int) -> dict[str, Any]:
    """A read (5000 ms) fails with SequenceError carrying expected and actual, its message naming both."""
    state = zb(ctx)
    reader = state.current_reader()
    watch = Stopwatch()
    try:
        frame = state.read_frame(reader, DEFAULT_READ_TIMEOUT_MS)
    except SequenceErrorException as error:
        named = str(expected) in str(error) and str(actual) in str(error)
        if (error.expected, error.got) != (expected, actual) or not named:
            raise StepAssertionError(f"buffer '{reader.name}': expected a SequenceError naming expected {expected} "
                                     f"and actual {actual}, but it carries expected {error.expected}, got "
                                     f"{error.got}: {error}") from None
        return {"buffer": reader.name, "errorType": error.kind, "expected": error.expected, "actual": error.got,
                "elapsedMs": watch.ms}
    except ZeroBufferException as error:
        raise StepAssertionError(f"buffer '{reader.name}': expected the read to fail with 'SequenceError', but it "
                                 f"failed with '{error.kind}': {error}") from None
    if frame is None:
        outcome = f"no frame arrived within {DEFAULT_READ_TIMEOUT_MS} ms"
    else:
        with frame:
            state.last_sequences[reader.name] = frame.sequence
            outcome = f"it returned frame {frame.sequence} ({frame.size} B)"
    raise StepAssertionError(f"buffer '{reader.name}': expected the read to fail with 'SequenceError' (expected "
                             f"{expected}, actual {actual}), but {outcome}")


@when(ROLE + r"starts writing '(?P<count>\d+)' records of '(?P<fields>\d+)' fields under CPU load in the background")
def start_writing_records(ctx: ScenarioContext, process: str, count: int, fields: int) -> dict[str, Any]:
    """Background work writing count records through the current writer while a spinner per core runs."""
    state = zb(ctx)
    writer = state.current_writer()
    task = state.start_counted_write(f"records-{count}x{fields}-{writer.name}", process, count,
                                     lambda: write_record(writer, fields), around=CpuLoad).task
    return {"buffer": writer.name, "count": count, "fields": fields, "size": fields * FIELD.size,
            "task": task.name}


@then(ROLE + r"should read '(?P<count>\d+)' records of '(?P<fields>\d+)' fields in order, each whole")
def read_records(ctx: ScenarioContext, process: str, count: int, fields: int) -> dict[str, Any]:
    """Read count records: each valid, of fields x 8 bytes, next in sequence, every field the record's."""
    state = zb(ctx)
    reader = state.current_reader()
    size = fields * FIELD.size
    watch = Stopwatch()
    first = state.last_sequence(reader) + 1
    for i in range(count):
        expected = state.last_sequence(reader) + 1
        frame = state.read_frame(reader, DEFAULT_READ_TIMEOUT_MS)
        if frame is None:
            raise StepAssertionError(f"buffer '{reader.name}': no record within {DEFAULT_READ_TIMEOUT_MS} ms "
                                     f"(record {i + 1} of {count}); expected record {expected}")
        with frame:
            state.last_sequences[reader.name] = frame.sequence
            if frame.sequence != expected or frame.size != size:
                raise StepAssertionError(f"buffer '{reader.name}': expected record {expected} of {size} B, but read "
                                         f"frame {frame.sequence} of {frame.size} B")
            wrong = wrong_field(frame.data, frame.sequence)
            if wrong is not None:
                index, value = wrong
                raise StepAssertionError(f"buffer '{reader.name}': record {frame.sequence} is half-written: field "
                                         f"{index} of {fields} is {value:#018x}, expected "
                                         f"{(frame.sequence << 32) | index:#018x}")
    return {"buffer": reader.name, "count": count, "firstSequence": first,
            "lastSequence": state.last_sequence(reader), "elapsedMs": watch.ms}
