"""``presspack glossary``: lint, find, export and import the approved glossary."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from toolkit.core.config import glossary_or_default
from toolkit.core.errors import Problem, SourceError, problem
from toolkit.terminology.glossary import Glossary, lint_glossary, load_glossary
from toolkit.terminology.matcher import Matcher, NearMiss, TermMatch

__all__ = ["FindResult", "ImportResult", "export", "find", "import_terms", "lint", "read_input"]


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
    source: str = ""  # "<stdin>" or a file name; "" for text given on the command line

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of an offset into the text."""
        line = self.text.count("\n", 0, offset) + 1
        column = offset - (self.text.rfind("\n", 0, offset) + 1) + 1
        return line, column

    def to_json(self) -> dict[str, Any]:
        def where(offset: int) -> dict[str, int]:
            line, column = self.position(offset)
            return {"text_line": line, "text_column": column}

        return {
            "source": self.source,
            "matches": [
                {
                    "start": m.start,
                    "end": m.end,
                    "text": self.text[m.start : m.end],
                    "term": m.source_term,
                    "target": m.target_term,
                    "particle": m.particle,
                    "category": m.entry.category,
                    "line": m.entry.line,  # the glossary row
                    **where(m.start),
                }
                for m in self.matches
            ],
            "near_misses": [
                {
                    "start": n.start,
                    "end": n.end,
                    "word": n.word,
                    "term": n.source_term,
                    "reason": n.reason,
                    **where(n.start),
                }
                for n in self.near_misses
            ],
        }


def read_input(argument: str, stdin: TextIO) -> tuple[str, str]:
    """``(text, source)`` for ``glossary find``: ``-`` is stdin, an existing file is read
    (any encoding the release readers accept), anything else is the text itself."""
    if argument == "-":
        return stdin.read(), "<stdin>"
    path = Path(argument)
    if "\n" not in argument and len(argument) < 4096 and path.is_file():
        from toolkit.sources.decode import decode_source

        return decode_source(path).text, str(path)
    if _looks_like_a_path(argument) and not path.exists():
        # a mistyped file name was searched as text: "no glossary terms found", exit 0
        fix = "check the path (text to search cannot end in a file suffix such as .md)"
        raise SourceError(problem(path, None, "no such file", fix))
    return argument, ""


def _looks_like_a_path(argument: str) -> bool:
    from toolkit.sources.discover import SOURCE_SUFFIXES

    return " " not in argument and "\n" not in argument and argument.lower().endswith(SOURCE_SUFFIXES)


def find(
    text: str, *, glossary: Path | None = None, lang: str | None = None, source: str = ""
) -> FindResult:
    """The approved terms found in ``text`` (and the near-misses)."""
    from toolkit.sources import detect_lang

    path = glossary_or_default(glossary)
    matcher = Matcher(load_glossary(path), lang or detect_lang(text))
    return FindResult(text, path, tuple(matcher.find(text)), tuple(matcher.near_misses(text)), source)


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
