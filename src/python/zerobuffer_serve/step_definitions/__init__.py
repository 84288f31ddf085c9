"""ZeroBuffer step definitions (features/STEPS.md), one module per feature area.

The only code that sees both the ZeroBuffer library and the step attributes. The entry point builds
the registry from ``ALL``.
"""

from . import (background_reading_steps, background_writing_steps, benchmark_steps, buffer_steps, compliance_steps,
               corruption_steps, duplex_steps, edge_case_steps, frame_reading_steps, frame_writing_steps,
               integrity_steps, metadata_steps, oieb_steps, platform_steps, process_steps, race_steps,
               stale_resources_steps, stress_steps, synchronization_steps)

ALL = (buffer_steps, metadata_steps, frame_writing_steps, frame_reading_steps, background_writing_steps,
       background_reading_steps, oieb_steps, edge_case_steps, stale_resources_steps, race_steps, process_steps,
       duplex_steps, synchronization_steps, integrity_steps, platform_steps, compliance_steps, corruption_steps,
       stress_steps, benchmark_steps)
