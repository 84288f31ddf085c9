"""Helpers the step definitions share: error kinds, the byte patterns, the per-scenario ZeroBuffer state."""
