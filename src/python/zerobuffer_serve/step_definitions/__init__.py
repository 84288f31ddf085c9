"""ZeroBuffer step definitions (features/STEPS.md), one module per feature area.

The only code that sees both the ZeroBuffer library and the step attributes. The entry point builds
the registry from ``ALL``.
"""

from . import (background_writing_steps, buffer_steps, duplex_steps, frame_reading_steps, frame_writing_steps,
               metadata_steps, process_steps)

ALL = (buffer_steps, metadata_steps, frame_writing_steps, frame_reading_steps, background_writing_steps,
       process_steps, duplex_steps)
