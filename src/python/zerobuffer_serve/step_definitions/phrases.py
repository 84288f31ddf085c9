"""Pattern pieces shared by the step definitions."""

from __future__ import annotations

# "the '<role>' process ": the role is captured and ignored (the orchestrator routed the step).
ROLE = r"the '(?P<process>[^']+)' process "
