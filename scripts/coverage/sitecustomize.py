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
        _measurement = coverage.process_startup()
        if _measurement is not None:
            # A worker that leaves through os._exit (zerobuffer-serve does, so blocked stdin threads
            # cannot hang shutdown) skips atexit, where coverage saves: save first, then leave.
            _os_exit = os._exit

            def _save_then_exit(code: int) -> None:
                try:
                    _measurement.stop()
                    _measurement.save()
                except Exception:  # noqa: BLE001 - measuring must never change how a process ends
                    pass
                _os_exit(code)

            os._exit = _save_then_exit
