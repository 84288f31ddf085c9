"""zerobuffer-serve: the Python Harmony worker (WORKER-PROTOCOL.md) hosting ZeroBuffer step definitions."""

__version__ = "1.1.0"
PLATFORM = "python"
