"""The worker process itself."""

from __future__ import annotations

import os
from typing import Any

from .. import PLATFORM
from ..steps.attributes import given
from ..steps.context import ScenarioContext


@given(r"the '([^']+)' process is ready")
def is_ready(ctx: ScenarioContext, process: str) -> dict[str, Any]:
    """The worker answers; reports which process and language it is."""
    return {"pid": os.getpid(), "platform": PLATFORM}
