"""doseflow.ScenarioError: every problem found in a scenario, each with where it is."""
from __future__ import annotations

from typing import NamedTuple


class Problem(NamedTuple):
    """One problem: where (file, 1-based line and column; 0 when unknown) and what would be valid."""

    file: str
    line: int
    column: int
    message: str
    severity: str  # "error" or "warning"

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: {self.severity}: {self.message}"


class ScenarioError(ValueError):
    """A scenario could not be loaded or changed.

    ``problems`` lists every problem found (errors first as found, then warnings); ``file``, ``line``,
    ``column`` and ``message`` are those of the first error. ``str(error)`` gives one line per problem as
    ``file:line:column: severity: message``, the format of ``doseflow validate``.
    """

    def __init__(self, problems):
        self.problems = [p if isinstance(p, Problem) else Problem(*p) for p in problems]
        errors = [p for p in self.problems if p.severity == "error"] or self.problems
        first = errors[0] if errors else Problem("", 0, 0, "invalid scenario", "error")
        self.file, self.line, self.column, self.message = first.file, first.line, first.column, first.message
        super().__init__("\n".join(str(p) for p in self.problems) or first.message)
