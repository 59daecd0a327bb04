"""Frozen dataclasses passed between pipeline stages.

sources (md, txt, docx, hwpx) → Release → translation → Release → render (docx, pdf, hwpx) → build

Text model. Every translatable text field of a :class:`Block` (``text``, table
cells) holds **inline Markdown in canonical form** (see :mod:`toolkit.core.inline`):
``**bold**``, ``*italic*``, ```code```, ``[link text](url)`` and hard line breaks,
with every other character literal (markup-like characters are backslash-escaped,
raw HTML is text). Readers of formats without Markdown (plain text, DOCX, HWPX)
produce the same canonical form from their runs, so the translation memory,
the glossary matcher (which sees :func:`toolkit.core.inline.plain`) and every
renderer work on one representation. Meta fields are plain text.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from typing import Literal

Lang = Literal["ko", "en"]
LANGS: tuple[Lang, ...] = ("ko", "en")

BlockKind = Literal["heading", "paragraph", "list_item", "quote", "table", "image"]
Align = Literal["", "left", "center", "right"]


@dataclass(frozen=True)
class Block:
    """One body block.

    * ``heading``: ``text``, ``level`` 1..6.
    * ``paragraph`` / ``quote``: ``text``; ``level`` is the quote nesting depth (0 = top).
    * ``list_item``: ``text``; ``level`` is the nesting depth (0 = top level);
      ``ordered`` items carry their ``number`` (1., 2., … as written or counted).
    * ``table``: ``rows`` of cells (inline Markdown), ``rows[0]`` is the header row;
      ``align`` per column; ``text`` is the caption ("" when none).
    * ``image``: ``src`` (a path relative to the release folder, never leaving it),
      ``text`` is the caption (also the alt text), ``title`` the optional title.
    """

    kind: BlockKind
    text: str = ""
    level: int = 0
    line: int = 0  # 1-based first line in the source file, for messages
    ordered: bool = False
    number: int = 0
    rows: tuple[tuple[str, ...], ...] = ()
    align: tuple[Align, ...] = ()
    src: str = ""
    title: str = ""

    def texts(self) -> tuple[str, ...]:
        """Every translatable text of the block, in reading order (caption first for tables)."""
        if self.kind == "table":
            cells = tuple(cell for row in self.rows for cell in row)
            return ((self.text,) if self.text else ()) + cells
        return (self.text,) if self.text else ()


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
    department: str = ""  # 담당 부서 (Korean contact table) / the English contact's division
    # structured contact (the 보도자료 contact table; the English media contact):
    manager: str = ""  # 책임자, e.g. "과장 김철수"
    manager_phone: str = ""
    contact_person: str = ""  # 담당자, e.g. "주무관 이영희"
    contact_phone: str = ""
    contact_email: str = ""
    release_time: str = ""  # 보도시점 cell as written, e.g. "2026. 11. 5.(목) 조간"
    distribution: str = ""  # 배포 cell as written, e.g. "배포 즉시"
    extra: tuple[tuple[str, str], ...] = ()  # unknown keys kept (warned about)


@dataclass(frozen=True)
class Release:
    """One release in one language."""

    meta: Meta
    body: tuple[Block, ...]
    about: tuple[Block, ...] = ()  # "About …" boilerplate; first block is its heading
    about_title: str = ""
    attachments: tuple[Block, ...] = ()  # 붙임 / Attachments section (after the body)
    attachments_title: str = ""
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
