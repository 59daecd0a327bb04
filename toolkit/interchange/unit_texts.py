"""Putting imported unit texts back into a release, without knowing how units are laid out.

An import changes the *texts* of the translation's units (``units_of`` order)
and nothing else: the block kinds, list numbers, table shapes, photos and the
file's own styling (an English dateline in capitals or not) stay as they are.
Rather than repeat the walk :func:`~toolkit.translation.memory.units_of`
makes — which texts are units, in which order, which empty ones are skipped —
the release is *traced*: every text field is replaced by a unique marker,
``units_of`` is asked for the units of that, and each unit's marker says which
field it came from. So a new kind of unit (table cells, captions, an
attachments section) needs no change here.

Meta fields are plain text in :class:`~toolkit.core.document.Meta`; whether a
memory holds them as plain text or as escaped inline Markdown is also asked
of ``units_of`` (:func:`meta_is_markup`), so exports and imports read meta
units the way the sync wrote them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import fields, replace
from functools import lru_cache

from toolkit.core.document import Block, Meta, Release
from toolkit.core.inline import plain
from toolkit.translation.memory import units_of

__all__ = ["meta_is_markup", "with_unit_texts"]

# where a unit's text lives: ("meta", field, line), (section, block, -1) for a block's text,
# (section, block, row, column) for a table cell, ("release", field) for a section title
Slot = tuple[str | int, ...]

_NOT_TEXT = frozenset({"lang", "kind", "src", "align", "source_path"})  # what says what a unit *is*


def _marker(n: int) -> str:
    """A text no release holds and no escaping touches (private-use characters only)."""
    return "\ue000" + chr(0xF0000 + n // 0xFFFD) + chr(0xF0000 + n % 0xFFFD) + "\ue001"


@lru_cache(maxsize=1)
def meta_is_markup() -> bool:
    """Whether memory units of meta fields are inline Markdown (``*`` escaped) or plain text."""
    probe = Release(meta=Meta(title="a * b", lang="en"), body=(Block("paragraph", "x"),))
    return units_of(probe)[0].text != "a * b"


def _traced(release: Release) -> tuple[Release, dict[str, Slot]]:
    slots: dict[str, Slot] = {}

    def mark(value: str, slot: Slot) -> str:
        if not value:
            return value
        marker = _marker(len(slots))
        slots[marker] = slot
        return marker

    m = release.meta
    meta_changes: dict[str, str] = {}
    for f in fields(Meta):
        value = getattr(m, f.name)
        if isinstance(value, str) and f.name not in _NOT_TEXT:
            lines = value.split("\n")
            meta_changes[f.name] = "\n".join(mark(line, ("meta", f.name, i)) for i, line in enumerate(lines))
    changes: dict[str, object] = {"meta": replace(m, **meta_changes)}  # type: ignore[arg-type]
    for f in fields(Release):
        value = getattr(release, f.name)
        if isinstance(value, str) and f.name not in _NOT_TEXT:
            changes[f.name] = mark(value, ("release", f.name))
        elif isinstance(value, tuple) and value and all(isinstance(b, Block) for b in value):
            changes[f.name] = tuple(
                replace(
                    b,
                    text=mark(b.text, (f.name, i, -1)),
                    rows=tuple(
                        tuple(mark(cell, (f.name, i, r, c)) for c, cell in enumerate(row))
                        for r, row in enumerate(b.rows)
                    ),
                )
                for i, b in enumerate(value)
            )
    return replace(release, **changes), slots  # type: ignore[arg-type]


def with_unit_texts(release: Release, texts: Sequence[str]) -> Release:
    """``release`` with the text of each of its units (``units_of`` order) replaced.

    Only texts change; an English dateline written in capitals stays in capitals.
    """
    units = units_of(release)
    if len(units) != len(texts):
        raise ValueError(f"with_unit_texts: {len(texts)} texts for {len(units)} units")
    traced, slots = _traced(release)
    traced_units = units_of(traced)
    if len(traced_units) != len(units):
        raise ValueError("with_unit_texts: the units of the release could not be traced")
    meta_lines: dict[str, list[str]] = {}
    section_titles: dict[str, str] = {}
    blocks: dict[str, list[Block]] = {}
    m = release.meta
    for unit, traced_unit, text in zip(units, traced_units, texts, strict=True):
        slot = slots.get(traced_unit.text)
        if slot is None:
            if text != unit.text:  # a unit with no text of its own (an empty contact line)
                raise ValueError(f"with_unit_texts: no field holds unit {unit.id!r}")
            continue
        where = slot[0]
        if where == "meta":
            name, line = str(slot[1]), int(slot[2])
            value = " ".join((plain(text) if meta_is_markup() else text).split())
            if name == "dateline" and m.dateline.isupper():
                value = value.upper()
            meta_lines.setdefault(name, getattr(m, name).split("\n"))[line] = value
        elif where == "release":
            section_titles[str(slot[1])] = text
        else:
            section = blocks.setdefault(str(where), list(getattr(release, str(where))))
            index = int(slot[1])
            block = section[index]
            if len(slot) == 3:
                section[index] = replace(block, text=text)
            else:
                row, column = int(slot[2]), int(slot[3])
                rows = [list(r) for r in block.rows]
                rows[row][column] = text
                section[index] = replace(block, rows=tuple(tuple(r) for r in rows))
    meta = replace(m, **{name: "\n".join(lines) for name, lines in meta_lines.items()})  # type: ignore[arg-type]
    return replace(
        release,
        meta=meta,
        **section_titles,  # type: ignore[arg-type]
        **{name: tuple(section) for name, section in blocks.items()},  # type: ignore[arg-type]
    )
