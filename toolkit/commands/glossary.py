"""``presspack glossary``: lint, find, export and import the approved glossary."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from toolkit.core.config import glossary_or_default
from toolkit.core.errors import Problem
from toolkit.terminology.glossary import Glossary, lint_glossary, load_glossary
from toolkit.terminology.matcher import Matcher, NearMiss, TermMatch

__all__ = ["FindResult", "ImportResult", "export", "find", "import_terms", "lint"]


def lint(path: Path | None) -> tuple[Path, list[Problem]]:
    """Every problem of the glossary file (errors and warnings), in line order."""
    path = glossary_or_default(path)
    return path, lint_glossary(path)


@dataclass(frozen=True)
class FindResult:
    text: str
    glossary: Path
    matches: tuple[TermMatch, ...]
    near_misses: tuple[NearMiss, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "matches": [
                {
                    "start": m.start,
                    "end": m.end,
                    "term": m.source_term,
                    "target": m.target_term,
                    "particle": m.particle,
                    "category": m.entry.category,
                    "line": m.entry.line,
                }
                for m in self.matches
            ],
            "near_misses": [
                {"start": n.start, "end": n.end, "term": n.source_term, "reason": n.reason}
                for n in self.near_misses
            ],
        }


def find(text: str, *, glossary: Path | None = None, lang: str | None = None) -> FindResult:
    """The approved terms found in ``text`` (and the near-misses)."""
    from toolkit.sources import detect_lang

    path = glossary_or_default(glossary)
    matcher = Matcher(load_glossary(path), lang or detect_lang(text))
    return FindResult(text, path, tuple(matcher.find(text)), tuple(matcher.near_misses(text)))


def export(*, glossary: Path | None = None, fmt: str = "tbx") -> bytes:
    """The glossary in a CAT-tool format (TBX-Basic)."""
    from toolkit.terminology.tbx import export_tbx

    if fmt != "tbx":
        raise ValueError(f"unknown export format {fmt!r}")
    return export_tbx(load_glossary(glossary_or_default(glossary)))


@dataclass(frozen=True)
class ImportResult:
    glossary: Path
    source: Path
    report: Any  # toolkit.terminology.tbx.MergeReport
    written: bool


def import_terms(file: Path, *, glossary: Path | None = None, dry_run: bool = False) -> ImportResult:
    """Append new terms from a TBX/CSV file; conflicts keep the approved row."""
    from toolkit.terminology.tbx import merge, read_terms, write_glossary_csv

    path = glossary_or_default(glossary)
    existing = load_glossary(path) if path.exists() else Glossary(entries=(), path=str(path))
    merged, report = merge(existing, read_terms(file), source=str(file))
    written = bool(report.added) and not dry_run
    if written:
        write_glossary_csv(merged, path)
    return ImportResult(path, file, report, written)
