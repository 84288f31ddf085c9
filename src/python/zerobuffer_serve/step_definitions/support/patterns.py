"""The byte patterns every language writes and checks (features/STEPS.md "Patterns")."""

from __future__ import annotations

from zerobuffer import Frame, Writer
from zerobuffer._pattern import Pattern, first_mismatch

from ...steps.errors import StepAssertionError

PATTERN = Pattern(64 * 1024)


def write_pattern_frame(writer: Writer, size: int) -> int:
    """Fill one frame through the zero-copy API with the pattern of its assigned sequence."""
    target = writer.get_frame_buffer(size)
    sequence = writer.pending_sequence or 0
    target[:] = PATTERN.frame(sequence, size)
    writer.commit_frame()
    return sequence


def check_frame(frame: Frame, sequence: int, size: int, buffer: str) -> None:
    """Frame is valid, has the sequence and size, and every byte follows the pattern."""
    if not frame.is_valid:
        raise StepAssertionError(f"frame from buffer '{buffer}' is not valid")
    if frame.sequence != sequence:
        raise StepAssertionError(f"buffer '{buffer}': expected frame sequence {sequence}, got {frame.sequence}")
    if frame.size != size:
        raise StepAssertionError(f"buffer '{buffer}': frame {frame.sequence}: expected size {size}, got {frame.size}")
    if not PATTERN.matches(frame.sequence, frame.data):
        at = first_mismatch(frame.data, PATTERN.frame(frame.sequence, frame.size))
        raise StepAssertionError(
            f"buffer '{buffer}': frame {frame.sequence} breaks the pattern at byte {at}: expected "
            f"{(frame.sequence + at) & 0xFF}, got {frame.data[at]}")
