"""Resolving ``tm-review`` findings: take the machine suggestion, or keep the person's text.

When the source of a sentence changes under a person's translation, the sync
keeps the text, records the fresh machine suggestion in the memory and flags
it (``tm-review``, with the file and line). A reviewer then either edits the
text (the next sync records it as reviewed) or runs one command:

* ``presspack review accept FILE:LINE`` — the suggestion replaces the text
  (for a sentence whose source was deleted: the text is removed);
* ``presspack review keep FILE:LINE`` — the text is right as it is.

Both go through the same guarded sync as ``build`` and ``translate``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from toolkit.core.document import Finding, Lang
from toolkit.core.errors import PresspackError, Problem, SourceError, problem
from toolkit.translation.filesync import (
    LazyEngine,
    apply_sync,
    load_snapshot,
    read_snapshot,
    sync_file,
    units_at,
)

if TYPE_CHECKING:
    from toolkit.mt.enforce import TranslateFn
    from toolkit.terminology.matcher import Matcher

__all__ = ["ReviewResult", "parse_spec", "resolve_reviews", "source_of"]

SOURCE_SUFFIXES = (".md", ".markdown", ".txt", ".docx")


@dataclass
class ReviewResult:
    resolved: int = 0
    written: list[Path] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)  # what the file still has (tm-review left…)
    pending: list[int] = field(default_factory=list)  # lines still under review

    def to_json(self) -> dict[str, object]:
        return {
            "resolved": self.resolved,
            "written": [str(p) for p in self.written],
            "pending_lines": self.pending,
            "findings": [f.to_json() for f in self.findings],
        }


def parse_spec(spec: str) -> tuple[Path, tuple[int, ...]]:
    """``release.en.md:12`` / ``release.en.md:12,30`` / ``release.en.md`` (every review)."""
    m = re.match(r"^(?P<path>.+?):(?P<lines>\d+(?:,\d+)*)$", spec)
    if m and not Path(spec).exists():
        return Path(m.group("path")), tuple(int(x) for x in m.group("lines").split(","))
    head, colon, tail = spec.rpartition(":")
    if colon and head and not Path(spec).exists() and Path(head).is_file():
        # release.en.md:abc, :12;30, :12- … : the file is there, the line part is not a line
        how = "give FILE:LINE as the finding prints it (or FILE:12,30)"
        raise ValueError(f"'{tail}' is not a line number; {how}")
    return Path(spec), ()


def source_of(translation: Path, source_lang: str) -> Path:
    """The source file beside a translation (``release.ko.md`` for ``release.en.md``)."""
    stem = translation.name.split(".")[0]
    for suffix in SOURCE_SUFFIXES:
        candidate = translation.with_name(f"{stem}.{source_lang}{suffix}")
        if candidate.is_file():
            return candidate
    raise SourceError(
        problem(
            translation,
            None,
            f"its source ({stem}.{source_lang}.md) is not in the same folder",
            "run the command where the release folder is complete",
        )
    )


def resolve_reviews(
    path: Path,
    lines: Sequence[int],
    *,
    accept: bool,
    matcher_for: Callable[[str], Matcher | None],
    translator: Callable[[str, str], tuple[TranslateFn, str]],
) -> ReviewResult:
    """Accept (or keep) the pending reviews of ``path`` at ``lines`` (all of them when empty)."""
    again = "run the command again"
    snap = read_snapshot(path)
    if snap.data is None:
        raise SourceError(problem(path, None, "no such file", "give the translation file of the finding"))
    loaded = load_snapshot(snap, again=again)
    src_lang = loaded.translation_of
    if src_lang is None:
        raise SourceError(
            problem(path, None, "is not a translation (no translation_of)", "give the translation file")
        )
    source_path = source_of(path, src_lang)
    source_snap = read_snapshot(source_path)
    source = load_snapshot(source_snap, again=again).release
    tgt: Lang = loaded.release.lang
    engine = LazyEngine(lambda: translator(src_lang, tgt))

    # first, without resolving anything: which lines hold a review?
    plan = sync_file(
        source,
        source_snap,
        path,
        tgt,
        matcher=matcher_for(src_lang),
        translate=engine.translate,
        model_id=engine.model_id,
        target_snapshot=snap,
    )
    if plan.blocked:
        raise PresspackError(
            [problem(f.file, f.line or None, f.message) for f in plan.findings if f.check == "tm-structure"]
        )
    problems: list[Problem] = []
    for line in lines:
        units, before = units_at(plan.unit_starts, [line])
        if before or not any(plan.unit_starts[u] in plan.review_lines for u in units):
            problems.append(
                problem(
                    path,
                    line,
                    "no pending review here",
                    "the tm-review findings of 'presspack build --dry-run' name the lines",
                )
            )
    if problems:
        raise PresspackError(problems)
    if not plan.review_lines:
        raise PresspackError(problem(path, None, "has no pending review", "nothing to do"))
    plan = sync_file(
        source,
        source_snap,
        path,
        tgt,
        matcher=matcher_for(src_lang),
        translate=engine.translate,
        model_id=engine.model_id,
        target_snapshot=snap,
        accept=lines if accept else None,
        keep=lines if not accept else None,
        accept_all=accept and not lines,
        keep_all=not accept and not lines,
    )
    written = apply_sync(plan, again=again)
    pending = sorted({f.line for f in plan.findings if f.check == "tm-review"})
    return ReviewResult(plan.accepted, written, list(plan.findings), pending)
