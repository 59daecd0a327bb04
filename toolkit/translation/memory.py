"""Translation memory: per source unit and segment, the source, the text in the file, the machine text.

A translation file (``release.en.md``) belongs to the people who post-edit it.
Beside it, a translation memory (``release.en.tm.json``, committed with it)
records for every segment — one source sentence, or a few sentences a person
aligned with a different number of target sentences:

* ``src``: the source text it translates ("" for text a person added that has
  no source);
* ``tgt``: the text as it stands in the translation file after the last sync
  ("" when a person removed it — presspack then does not put it back);
* ``mt``: what the engine wrote for ``src`` (for a segment under review: the
  fresh suggestion for the new source); left out of the file when it says
  nothing more (machine text: equal to ``tgt``; a person's text: no engine output);
* ``origin``: ``machine`` (``tgt`` is engine output, glossary updates aside) or
  ``human`` (a person wrote or changed it — presspack never replaces it);
* ``state``: ``translated``, ``needs-review`` (the source changed or was
  deleted under human text; ``was`` holds the source the text was written
  for) or ``final`` (approved, e.g. by an import from a CAT tool);
* ``terms``: the glossary terms (source, target) that applied.

Units follow the *source* structure (one per source paragraph/field, source
order); where a translator split, merged, moved, added or removed paragraphs,
the sync finds the text by content each time (:mod:`toolkit.translation.align`).
Format 1 files (no origin/state) are still read: their segments count as
human unless presspack's own machine text is recorded in them.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from toolkit.core.errors import PresspackError, problem
from toolkit.core.limits import LimitExceeded, loads_json
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

TM_FORMAT = 2
READABLE_FORMATS = (1, 2)

Origin = Literal["machine", "human"]
State = Literal["translated", "needs-review", "final"]
ORIGINS: tuple[Origin, ...] = ("machine", "human")
STATES: tuple[State, ...] = ("translated", "needs-review", "final")


def segments_of(text: str, lang: str) -> list[str]:
    """Sentences of a unit, stripped (units are re-joined with single spaces).

    Units are inline Markdown: every sentence stays valid inline Markdown
    (formatting across a sentence end is closed and reopened, hard line
    breaks stay inside their sentence; see :func:`toolkit.mt.markup.sentences`).
    """
    return sentences(text, lang)


def join_segments(segments: Sequence[str]) -> str:
    return " ".join(s for s in segments if s)


Terms = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class SegmentMemory:
    """One aligned source/target pair (see the module docstring for the fields)."""

    src: str
    tgt: str
    mt: str = ""
    origin: Origin = "machine"
    state: State = "translated"
    was: str = ""
    terms: Terms = ()

    @property
    def human(self) -> bool:
        return self.origin == "human"

    @property
    def needs_review(self) -> bool:
        return self.state == "needs-review"

    @property
    def removed(self) -> bool:
        """A person deleted this text from the translation; it stays deleted."""
        return bool(self.src) and not self.tgt

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"src": self.src, "tgt": self.tgt}
        if self.mt != (self.tgt if self.origin == "machine" else ""):
            data["mt"] = self.mt
        data["origin"] = self.origin
        if self.state != "translated":
            data["state"] = self.state
        if self.was:
            data["was"] = self.was
        if self.terms:
            data["terms"] = [list(t) for t in self.terms]
        return data


@dataclass(frozen=True)
class UnitMemory:
    id: str
    segments: tuple[SegmentMemory, ...]

    @property
    def source_text(self) -> str:
        return join_segments([s.src for s in self.segments])

    @property
    def target_text(self) -> str:
        return join_segments([s.tgt for s in self.segments])


@dataclass(frozen=True)
class Memory:
    source_lang: str
    target_lang: str
    source_file: str
    units: tuple[UnitMemory, ...]
    model: str = ""

    def segments(self) -> list[SegmentMemory]:
        return [s for u in self.units for s in u.segments]

    def to_json(self) -> str:
        """Deterministic, diff-friendly JSON (one key per line, document order)."""
        data: dict[str, Any] = {
            "format": TM_FORMAT,
            "note": "presspack translation memory: keeps post-edits safe on re-translation. Do not edit.",
            "source_lang": self.source_lang,
            "target_lang": self.target_lang,
            "source_file": self.source_file,
            "model": self.model,
            "units": [{"id": u.id, "segments": [s.to_json() for s in u.segments]} for u in self.units],
        }
        return json.dumps(data, ensure_ascii=False, indent=1) + "\n"

    @classmethod
    def from_json(cls, text: str, *, path: Path | str = "") -> Memory:
        """Parse a memory (format 1 or 2); anything else raises :class:`MemoryFileError`."""
        where = str(path) or "translation memory"
        try:
            data = loads_json(text, subject="its JSON")  # deep nesting: refused, not recursed
        except LimitExceeded as exc:
            raise MemoryFileError.corrupt(where, str(exc)) from None
        except ValueError as exc:
            raise MemoryFileError.corrupt(where, f"not valid JSON ({exc})") from None
        try:
            return _from_data(data)
        except _Bad as exc:
            if str(exc).startswith("format "):
                raise MemoryFileError(
                    [
                        problem(
                            where,
                            None,
                            f"written by a newer presspack ({exc})",
                            "upgrade presspack (pip install -U presspack)",
                        )
                    ]
                ) from None
            raise MemoryFileError.corrupt(where, str(exc)) from None


class MemoryFileError(PresspackError):
    """A ``.tm.json`` that cannot be read: nothing is written over it."""

    @classmethod
    def corrupt(cls, where: str, why: str) -> MemoryFileError:
        return cls(
            [
                problem(
                    where,
                    None,
                    f"unreadable translation memory: {why}",
                    "restore it from version control (git checkout -- FILE), or delete it to adopt the "
                    "translation as it is written now",
                )
            ]
        )


class _Bad(ValueError):
    pass


def _str(value: Any, what: str) -> str:
    if not isinstance(value, str):
        raise _Bad(f"{what} must be a string")
    return value


def _from_data(data: Any) -> Memory:
    if not isinstance(data, dict):
        raise _Bad("the top level must be a JSON object")
    fmt = data.get("format")
    if isinstance(fmt, int) and not isinstance(fmt, bool) and fmt > TM_FORMAT:
        raise _Bad(f"format {fmt}")
    if fmt not in READABLE_FORMATS:
        raise _Bad(f"unknown format {fmt!r}")
    units_data = data.get("units")
    if not isinstance(units_data, list):
        raise _Bad("'units' must be a list")
    units: list[UnitMemory] = []
    for i, u in enumerate(units_data, 1):
        if not isinstance(u, dict) or not isinstance(u.get("segments"), list):
            raise _Bad(f"unit {i} must be an object with a 'segments' list")
        unit_id = _str(u.get("id"), f"unit {i} 'id'").replace(":bullet:", ":list_item:")
        review = u.get("review", False) is True  # format 1: source changed under an edited paragraph
        segments = []
        for k, s in enumerate(u["segments"], 1):
            if not isinstance(s, dict):
                raise _Bad(f"unit {i} segment {k} must be an object")
            segments.append(_segment(s, fmt, review, f"unit {i} segment {k}"))
        units.append(UnitMemory(unit_id, tuple(segments)))
    return Memory(
        source_lang=_str(data.get("source_lang"), "'source_lang'"),
        target_lang=_str(data.get("target_lang"), "'target_lang'"),
        source_file=_str(data.get("source_file", ""), "'source_file'"),
        units=tuple(units),
        model=_str(data.get("model", ""), "'model'"),
    )


def _segment(s: dict[str, Any], fmt: int, review: bool, where: str) -> SegmentMemory:
    src = _str(s.get("src"), f"{where} 'src'")
    tgt = _str(s.get("tgt"), f"{where} 'tgt'")
    terms_data = s.get("terms", [])
    if not isinstance(terms_data, list) or not all(
        isinstance(t, list) and len(t) == 2 and all(isinstance(x, str) for x in t) for t in terms_data
    ):
        raise _Bad(f"{where} 'terms' must be a list of [source, target] pairs")
    terms: Terms = tuple((t[0], t[1]) for t in terms_data)
    if fmt == 1:
        # format 1 kept the raw engine output in "mt" only for sentences it translated;
        # everything else was a person's text it had adopted
        mt = _str(s.get("mt", ""), f"{where} 'mt'")
        machine = bool(mt) and mt == tgt and not review
        return SegmentMemory(
            src,
            tgt,
            mt=mt if machine else "",
            origin="machine" if machine else "human",
            state="needs-review" if review else "translated",
            terms=terms,
        )
    origin = s.get("origin", "machine")
    state = s.get("state", "translated")
    if origin not in ORIGINS:
        raise _Bad(f"{where} 'origin' must be one of {', '.join(ORIGINS)}")
    if state not in STATES:
        raise _Bad(f"{where} 'state' must be one of {', '.join(STATES)}")
    return SegmentMemory(
        src,
        tgt,
        mt=_str(s.get("mt", tgt if origin == "machine" else ""), f"{where} 'mt'"),
        origin=origin,
        state=state,
        was=_str(s.get("was", ""), f"{where} 'was'"),
        terms=terms,
    )


def read_memory(path: Path, data: bytes | None) -> Memory | None:
    """The memory stored in ``data`` (the bytes of ``path``); None when there is no file."""
    if data is None:
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise MemoryFileError.corrupt(str(path), "not UTF-8 text") from None
    return Memory.from_json(text, path=path)


def memory_path(translation_path: Path) -> Path:
    name = translation_path.name
    stem = name[: -len(translation_path.suffix)] if translation_path.suffix else name
    return translation_path.with_name(stem + ".tm.json")


__all__ = [
    "TM_FORMAT",
    "Memory",
    "MemoryFileError",
    "SegmentMemory",
    "Unit",
    "UnitMemory",
    "join_segments",
    "memory_path",
    "read_memory",
    "release_from_units",
    "segments_of",
    "units_of",
]
