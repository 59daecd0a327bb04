"""Frozen dataclasses passed between pipeline stages.

sources -> Release -> (translate) -> Release -> render_docx / render_pdf -> pack
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from typing import Literal

Lang = Literal["ko", "en"]
LANGS: tuple[Lang, ...] = ("ko", "en")

BlockKind = Literal["heading", "paragraph", "bullet", "quote"]


@dataclass(frozen=True)
class Block:
    """One body block. ``text`` is plain Unicode (never markup)."""

    kind: BlockKind
    text: str
    level: int = 0  # heading level (1..3) for kind == "heading"
    line: int = 0  # 1-based line in the source file, for messages


@dataclass(frozen=True)
class Meta:
    """Front matter of a release. All text fields are plain Unicode."""

    title: str
    lang: Lang
    subtitle: str = ""
    date: _dt.date | None = None
    dateline: str = ""  # city, e.g. "CHANGWON" / "창원"
    organization: str = ""
    copyright: str = ""  # footer text; house default when empty
    contact: str = ""  # may hold several lines separated by "\n"
    embargo: str = ""  # free text or ISO datetime; empty = immediate release
    department: str = ""  # 담당부서 (Korean header block)
    extra: tuple[tuple[str, str], ...] = ()  # unknown keys kept (warned about)


@dataclass(frozen=True)
class Release:
    """One release in one language."""

    meta: Meta
    body: tuple[Block, ...]
    about: tuple[Block, ...] = ()  # "About …" boilerplate; first block is its heading
    about_title: str = ""
    source_path: str = ""  # for messages and the manifest

    @property
    def lang(self) -> Lang:
        return self.meta.lang


Severity = Literal["error", "warning", "info"]


@dataclass(frozen=True)
class Finding:
    """A QA finding; ``--strict`` turns any finding of severity >= warning into failure."""

    check: str  # e.g. "term-missing", "near-miss", "hangul-in-english", "number-mismatch"
    severity: Severity
    message: str
    file: str = ""
    line: int = 0
    segment: str = ""  # the source segment concerned
    extra: dict[str, str] = field(default_factory=dict, compare=False, hash=False)

    def to_json(self) -> dict[str, object]:
        data: dict[str, object] = {
            "check": self.check,
            "severity": self.severity,
            "message": self.message,
        }
        if self.file:
            data["file"] = self.file
        if self.line:
            data["line"] = self.line
        if self.segment:
            data["segment"] = self.segment
        data.update(self.extra)
        return data
