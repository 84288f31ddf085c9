"""ZeroBuffer step definitions (features/STEPS.md). Importing this package registers them all."""

from . import reader_steps, writer_steps  # noqa: F401
