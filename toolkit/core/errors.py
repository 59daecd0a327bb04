"""Library errors: small exception classes that carry file, line and a fix.

The CLI turns them into ``Error: <file>:<line>: <what> — <how to fix>`` and
exit 1. The library never imports Click.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One problem found in an input file; many may be reported at once."""

    file: str
    line: int | None
    what: str
    fix: str = ""
    severity: str = "error"  # "error" | "warning"

    def format(self) -> str:
        if not self.file:
            text = self.what  # not about a file (e.g. a missing model)
        else:
            where = self.file if self.line is None else f"{self.file}:{self.line}"
            text = f"{where}: {self.what}"
        if self.fix:
            text += f" — {self.fix}"
        return text


class PresspackError(Exception):
    """Base class: a user-facing failure with one or more problems."""

    def __init__(self, problems: Problem | list[Problem] | str) -> None:
        if isinstance(problems, str):
            problems = [Problem(file="", line=None, what=problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems: list[Problem] = list(problems)
        super().__init__("\n".join(p.format() for p in self.problems))


class SourceError(PresspackError):
    """A release source cannot be read or is invalid."""


class GlossaryError(PresspackError):
    """The glossary CSV/TBX is invalid."""


class ModelError(PresspackError):
    """A translation model package is missing, corrupt or cannot be fetched."""


class RenderError(PresspackError):
    """A document cannot be rendered faithfully (e.g. a glyph no font has)."""


def problem(path: Path | str, line: int | None, what: str, fix: str = "") -> Problem:
    return Problem(file=str(path), line=line, what=what, fix=fix)
