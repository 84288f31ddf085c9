"""Starts coverage measurement in every Python process a test run spawns (workers, CLIs, peers).

scripts/test-all.sh puts this folder on PYTHONPATH and sets COVERAGE_PROCESS_START to
scripts/coverage/python.coveragerc; without that variable this module does nothing.
"""

import os

if os.environ.get("COVERAGE_PROCESS_START"):
    try:
        import coverage
    except ImportError:  # an interpreter without coverage.py (e.g. a pyenv python) just runs unmeasured
        pass
    else:
        coverage.process_startup()
