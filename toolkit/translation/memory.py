"""Translation memory: per unit and segment, the source, the text presspack last wrote, the terms.

A translation file (``release.en.md``) belongs to the people who post-edit it.
Beside it, a translation memory (``release.en.tm.json``) records, per segment,
the source sentence, the text presspack last wrote, and the glossary terms it
used. With it, a sync can tell what changed where:

* source sentence unchanged → the current translation (edited or not) is kept;
* source sentence changed or new → only that sentence is machine-translated;
* a glossary target changed → the old term is replaced in place in the current
  text, leaving every other word of an edited sentence alone; where the old
  term is no longer there, a finding says so instead of guessing;
* a paragraph edited as a whole (sentences merged/split by hand) whose source
  then changes is kept and flagged for review — never overwritten.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from toolkit.core.limits import loads_json
from toolkit.mt.markup import sentences
from toolkit.translation.units import Unit, release_from_units, units_of

__all__ = [  # Unit, units_of and release_from_units live in toolkit.translation.units
    "Memory",
    "SegmentMemory",
    "Unit",
    "UnitMemory",
    "join_segments",
    "memory_path",
    "release_from_units",
    "segments_of",
    "units_of",
]

TM_FORMAT = 1


def segments_of(text: str, lang: str) -> list[str]:
    """Sentences of a unit, stripped (units are re-joined with single spaces).

    Units are inline Markdown: every sentence stays valid inline Markdown
    (formatting across a sentence end is closed and reopened, hard line
    breaks stay inside their sentence; see :func:`toolkit.mt.markup.sentences`).
    """
    return sentences(text, lang)


def join_segments(segments: Sequence[str]) -> str:
    return " ".join(s for s in segments if s)


@dataclass
class SegmentMemory:
    src: str
    tgt: str  # what presspack last wrote (or the human text it found and kept)
    mt: str = ""  # raw engine output, for reference
    terms: list[list[str]] = field(default_factory=list)  # [source term, target term] applied


@dataclass
class UnitMemory:
    id: str
    segments: list[SegmentMemory]
    review: bool = False  # source changed under a hand-edited paragraph

    @property
    def source_text(self) -> str:
        return join_segments([s.src for s in self.segments])

    @property
    def target_text(self) -> str:
        return join_segments([s.tgt for s in self.segments])


@dataclass
class Memory:
    source_lang: str
    target_lang: str
    source_file: str
    units: list[UnitMemory]
    model: str = ""

    def to_json(self) -> str:
        data: dict[str, Any] = {
            "format": TM_FORMAT,
            "note": "presspack translation memory: keeps post-edits safe on re-translation. Do not edit.",
            "source_lang": self.source_lang,
            "target_lang": self.target_lang,
            "source_file": self.source_file,
            "model": self.model,
            "units": [
                {
                    "id": u.id,
                    **({"review": True} if u.review else {}),
                    "segments": [
                        {
                            "src": s.src,
                            "tgt": s.tgt,
                            **({"mt": s.mt} if s.mt else {}),
                            **({"terms": s.terms} if s.terms else {}),
                        }
                        for s in u.segments
                    ],
                }
                for u in self.units
            ],
        }
        return json.dumps(data, ensure_ascii=False, indent=1) + "\n"

    @classmethod
    def from_json(cls, text: str) -> Memory | None:
        """Parse a memory; anything malformed returns None (treated as absent)."""
        try:
            data = loads_json(text, subject="translation memory")  # deep nesting: ValueError, not recursion
            if data.get("format") != TM_FORMAT:
                return None
            units = [
                UnitMemory(
                    id=str(u["id"]).replace(":bullet:", ":list_item:"),  # format-1 files
                    review=bool(u.get("review", False)),
                    segments=[
                        SegmentMemory(
                            src=str(s["src"]),
                            tgt=str(s["tgt"]),
                            mt=str(s.get("mt", "")),
                            terms=[[str(a), str(b)] for a, b in s.get("terms", [])],
                        )
                        for s in u["segments"]
                    ],
                )
                for u in data["units"]
            ]
            return cls(
                source_lang=str(data["source_lang"]),
                target_lang=str(data["target_lang"]),
                source_file=str(data.get("source_file", "")),
                units=units,
                model=str(data.get("model", "")),
            )
        except (ValueError, KeyError, TypeError, AttributeError):
            return None


def memory_path(translation_path: Path) -> Path:
    name = translation_path.name
    stem = name[: -len(translation_path.suffix)] if translation_path.suffix else name
    return translation_path.with_name(stem + ".tm.json")
