"""Worker logging: stderr always, plus a capture of every record for the next reply's ``logs``."""

from .log_capture import CaptureHandler, configure, level_from_env

__all__ = ["CaptureHandler", "configure", "level_from_env"]
