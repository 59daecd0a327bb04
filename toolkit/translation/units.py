"""Units of a release: every translatable text, in document order, and rebuilding a release from them.

A unit is what translation works on: a meta field, a block's text, a table
caption or cell, a photo caption, a section title. Every unit text is
canonical inline Markdown (:mod:`toolkit.core.inline`) — meta fields, which are
plain text in :class:`~toolkit.core.document.Meta`, are escaped — so the
memory, MT and QA handle every unit alike.

Ids name the field or the block kind (``title``, ``body:paragraph:0``,
``body:list_item:1``, ``body:table:cell``, ``about:image:caption``…). They
are not unique: sync aligns units by content, the ids only say what a unit
is. Ids of the kinds older memories know are unchanged
(``body:<kind>:<level>``, ``about_title``), so existing ``.tm.json`` files match.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Literal

from toolkit.core.document import Block, Lang, Meta, Release
from toolkit.core.inline import canonical, escape, plain

__all__ = ["Placed", "Unit", "assemble_release", "release_from_units", "unit_locations", "units_of"]


@dataclass(frozen=True)
class Unit:
    """A translatable text of a release (canonical inline Markdown) and where it comes from."""

    id: str
    text: str
    line: int = 0


_META_FIELDS = ("subtitle", "dateline", "organization", "department", "manager", "contact_person")


def units_of(release: Release) -> list[Unit]:
    """Every translatable text of ``release``, in document order (empty texts have no unit)."""
    units: list[Unit] = []

    def collect(unit: Unit) -> str:
        units.append(unit)
        return unit.text

    _map_units(release, collect)
    return units


Template = Literal["source", "target"]


@dataclass(frozen=True)
class Placed:
    """An output unit and the template unit whose block it fills (``index`` into ``units_of(template)``).

    A sync lays out units the translator's file had (``"target"``) and units
    only the source has (``"source"``); ``template=None`` is text with neither
    (its block is made from the id alone).
    """

    unit: Unit
    template: Template | None = None
    index: int = -1


@dataclass(frozen=True)
class Location:
    """Where a unit's text sits: a block (section, index, place in ``Block.texts()``) or a meta field."""

    section: str  # "body", "about", "attachments"; "" for meta fields and section titles
    block: int = -1
    slot: int = -1


def unit_locations(release: Release) -> list[Location]:
    """The location of every unit of :func:`units_of` (same length, same order)."""
    locations: list[Location] = []
    m = release.meta
    fields = (m.title, *(str(getattr(m, k)) for k in _META_FIELDS))
    locations.extend(Location("") for value in fields if value)
    locations.extend(Location("") for line in (m.contact.split("\n") if m.contact else []) if line)
    for where, title, blocks in _sections(release):
        if title:
            locations.append(Location(""))
        for i, block in enumerate(blocks):
            locations.extend(Location(where, i, slot) for slot, text in enumerate(block.texts()) if text)
    return locations


def _sections(release: Release) -> list[tuple[str, str, tuple[Block, ...]]]:
    return [
        ("body", "", release.body),
        ("about", release.about_title, release.about),
        ("attachments", release.attachments_title, release.attachments),
    ]


def assemble_release(
    source: Release,
    target: Release | None,
    placed: Sequence[Placed],
    tgt: Lang,
    *,
    copyright_text: str = "",
    path: str = "",
) -> Release:
    """A release in ``tgt`` from units a sync laid out, each filling the block of its template unit.

    Unlike :func:`release_from_units` the units need not match one template
    one to one: a translator may have added, removed, split or merged
    paragraphs. A block keeps its template's shape (a table's rows, a photo's
    file, a list's numbering); consecutive units of one template block fill
    it together; a text whose template is unknown becomes a block of the kind
    its id names (a paragraph for table or photo text).

    Blocks without text (a photo without caption, an empty list item, a table
    of empty cells) have no unit, so no sync places them: they come with the
    blocks around them. The translator's file (the source when there is none)
    keeps all of its own, each after the block it followed there; from the other
    template only those right before a block placed from it come along, and only
    when the translator's file has no such block.
    """
    return _Assembly(source, target).run(placed, tgt, copyright_text=copyright_text, path=path)


class _Assembly:
    def __init__(self, source: Release, target: Release | None) -> None:
        self.source = source
        self.templates: dict[str, tuple[dict[str, tuple[Block, ...]], list[Location]]] = {
            "source": (_sections_of(source), unit_locations(source))
        }
        if target is not None:
            self.templates["target"] = (_sections_of(target), unit_locations(target))
        self.main: Template = "target" if target is not None else "source"
        main_blocks = self.templates[self.main][0]
        self.main_textless = {
            _shape(b) for blocks in main_blocks.values() for b in blocks if not any(b.texts())
        }
        self.cursor: dict[tuple[str, str], int] = {}  # (template, section) → last block placed from it
        self.sections: dict[str, list[Block]] = {"body": [], "about": [], "attachments": []}
        self.group: tuple[tuple[str, str, int], Block, str, dict[int, str]] | None = None

    def flush(self) -> None:
        if self.group is not None:
            _key, block, where, filled = self.group
            self.sections[where].append(_filled(block, filled))
            self.group = None

    def textless(self, template: str, section: str, upto: int, where: str) -> None:
        """Place the template's blocks without text after the last one placed from it, before ``upto``."""
        blocks = self.templates[template][0][section]
        last = self.cursor.get((template, section), -1)
        between = range(last + 1, min(upto, len(blocks)))
        if template == self.main:
            keep = [k for k in between if not any(blocks[k].texts())]
        else:
            keep = []
            for k in reversed(between):  # only those right before the block placed
                if any(blocks[k].texts()) or _shape(blocks[k]) in self.main_textless:
                    break
                keep.insert(0, k)
        self.sections[where].extend(blocks[k] for k in keep)

    def block(self, p: Placed, where: str) -> None:
        unit = p.unit
        kind, level = _kind_of(unit.id)
        found = self.templates.get(p.template or "")
        loc = found[1][p.index] if found is not None and 0 <= p.index < len(found[1]) else None
        block: Block | None = None
        if found is not None and loc is not None and loc.section:
            block = found[0][loc.section][loc.block]
            if block.kind != kind:
                block = None
        if block is None or loc is None or p.template is None:
            self.flush()
            if kind in ("table", "image"):
                kind, level = "paragraph", 0
            self.sections[where].append(Block(kind=kind, text=_canonical_text(unit.text), level=level))  # type: ignore[arg-type]
            return
        key: tuple[str, str, int] = (p.template, loc.section, loc.block)
        group = self.group
        if group is not None and group[0][0] != p.template and _same_table(group[1], block):
            key = group[0]  # a cell of the other template's copy of the table being filled
        if self.group is None or self.group[0] != key or loc.slot in self.group[3]:
            self.flush()
            if self.cursor.get((p.template, loc.section), -1) < loc.block:
                self.textless(p.template, loc.section, loc.block, where)
                self.cursor[(p.template, loc.section)] = loc.block
            if kind == "list_item" and block.level != level:
                block = replace(block, level=level)
            self.group = (key, block, where, {})
        self.group[3][loc.slot] = _canonical_text(unit.text)

    def run(self, placed: Sequence[Placed], tgt: Lang, *, copyright_text: str, path: str) -> Release:
        meta_texts: dict[str, str] = {}
        contact: list[str] = []
        titles = {"about": "", "attachments": ""}
        for p in placed:
            unit = p.unit
            where = unit.id.split(":", 1)[0]
            if where in self.sections:
                self.block(p, where)
                continue
            self.flush()
            if unit.id == "contact":
                contact.append(plain(unit.text).strip())
            elif unit.id.endswith("_title") and unit.id[: -len("_title")] in titles:
                titles[unit.id[: -len("_title")]] = _canonical_text(unit.text)
            else:
                meta_texts.setdefault(unit.id, " ".join(plain(unit.text).split()))
        self.flush()
        for section in self.sections:  # the translator's file's blocks without text at the end
            self.textless(self.main, section, len(self.templates[self.main][0][section]), section)
        sections = self.sections
        source = self.source

        m = source.meta
        dateline = meta_texts.get("dateline", "")
        meta = Meta(
            title=meta_texts.get("title", ""),
            lang=tgt,
            subtitle=meta_texts.get("subtitle", ""),
            date=m.date,
            dateline=dateline.upper() if tgt == "en" else dateline,
            organization=meta_texts.get("organization", ""),
            copyright=copyright_text,
            contact="\n".join(contact),
            embargo=m.embargo,
            department=meta_texts.get("department", ""),
            manager=meta_texts.get("manager", ""),
            contact_person=meta_texts.get("contact_person", ""),
            # numbers are not translated; the 보도시점/배포 wording is Korean only
            manager_phone=m.manager_phone,
            contact_phone=m.contact_phone,
            contact_email=m.contact_email,
            release_time=m.release_time if tgt == "ko" else "",
            distribution=m.distribution if tgt == "ko" else "",
        )
        return replace(
            source,
            meta=meta,
            body=tuple(sections["body"]),
            about_title=titles["about"],
            about=tuple(sections["about"]),
            attachments_title=titles["attachments"],
            attachments=tuple(sections["attachments"]),
            source_path=path,
        )


def _same_table(a: Block, b: Block) -> bool:
    """Two tables whose texts sit at the same places (rows of the same widths, both or neither captioned)."""
    return (
        a.kind == b.kind == "table"
        and [len(r) for r in a.rows] == [len(r) for r in b.rows]
        and bool(a.text) == bool(b.text)
    )


def _shape(block: Block) -> Block:
    """A block without text as it stands anywhere in a release (its line number aside)."""
    return replace(block, line=0)


def _canonical_text(text: str) -> str:
    return canonical(text) if text else ""


def _sections_of(release: Release) -> dict[str, tuple[Block, ...]]:
    return {where: blocks for where, _, blocks in _sections(release)}


def _kind_of(unit_id: str) -> tuple[str, int]:
    """The block kind and level a unit id names (``body:list_item:1`` → list_item, 1)."""
    parts = unit_id.split(":")
    kind = parts[1] if len(parts) > 1 else "paragraph"
    level = int(parts[2]) if len(parts) > 2 and parts[2].isdigit() else 0
    return kind, level


def _filled(block: Block, filled: dict[int, str]) -> Block:
    """``block`` with the texts in ``filled`` at their places in ``block.texts()``; the others emptied."""
    texts = [filled.get(slot, "") for slot in range(len(block.texts()))]
    if block.kind == "table":
        caption = texts.pop(0) if block.text else ""
        it = iter(texts)
        rows = tuple(tuple(next(it, "") for _ in row) for row in block.rows)
        return replace(block, text=caption, rows=rows)
    return replace(block, text=texts[0] if texts else "")


def release_from_units(
    template: Release,
    texts: Sequence[str] | Sequence[Unit],
    tgt: Lang,
    *,
    copyright_text: str = "",
    path: str = "",
) -> Release:
    """A release in ``tgt`` with ``template``'s structure and ``texts`` in :func:`units_of` order.

    Photos keep their file and title, tables their shape and alignment, lists
    their numbering; date, embargo, phones and e-mail come from the template. Texts are
    brought to canonical form (meta fields to normalized plain text), so the
    release equals what reading its Markdown gives.
    """
    values = iter(t.text if isinstance(t, Unit) else t for t in texts)
    missing = object()

    def take(unit: Unit) -> str:
        value = next(values, missing)
        if value is missing:
            raise ValueError(f"release_from_units: no text for unit {unit.id!r} (got fewer texts than units)")
        assert isinstance(value, str)
        return value

    rebuilt = _map_units(template, take)
    if next(values, missing) is not missing:
        raise ValueError("release_from_units: more texts than the template has units")
    meta = rebuilt.meta
    dateline = meta.dateline.upper() if tgt == "en" else meta.dateline
    source = template.meta
    meta = Meta(
        title=meta.title,
        lang=tgt,
        subtitle=meta.subtitle,
        date=source.date,
        dateline=dateline,
        organization=meta.organization,
        copyright=copyright_text,
        contact=meta.contact,
        embargo=source.embargo,
        department=meta.department,
        manager=meta.manager,
        contact_person=meta.contact_person,
        # numbers are not translated; the 보도시점/배포 wording is Korean only
        manager_phone=source.manager_phone,
        contact_phone=source.contact_phone,
        contact_email=source.contact_email,
        release_time=source.release_time if tgt == "ko" else "",
        distribution=source.distribution if tgt == "ko" else "",
    )
    return replace(rebuilt, meta=meta, source_path=path)


def _map_units(release: Release, fn: Callable[[Unit], str]) -> Release:
    """``release`` with every unit text replaced by ``fn(unit)``, visiting units in document order.

    The one walk behind both :func:`units_of` and :func:`release_from_units`,
    so the two can never disagree on the order.
    """
    m = release.meta

    def meta_text(unit_id: str, value: str) -> str:
        if not value:
            return ""
        return " ".join(plain(fn(Unit(unit_id, escape(value)))).split())

    title = meta_text("title", m.title)
    fields: dict[str, str] = {}
    for key in _META_FIELDS:
        value = str(getattr(m, key))
        if key == "dateline" and m.lang == "en" and value.isupper():
            value = value.title()  # "CHANGWON" is style, the name is "Changwon"
        fields[key] = meta_text(key, value)
    lines = m.contact.split("\n") if m.contact else []
    contact = [plain(fn(Unit("contact", escape(line)))).strip() if line else "" for line in lines]
    meta = replace(m, title=title, contact="\n".join(contact), **fields)  # type: ignore[arg-type]

    def section(where: str, blocks: Sequence[Block]) -> tuple[Block, ...]:
        return tuple(_block(where, block, fn) for block in blocks)

    body = section("body", release.body)
    about_title = release.about_title
    if release.about_title or release.about:
        about_title = _text(Unit("about_title", release.about_title), fn)
    about = section("about", release.about)
    attachments_title = release.attachments_title
    if release.attachments_title or release.attachments:
        attachments_title = _text(Unit("attachments_title", release.attachments_title), fn)
    attachments = section("attachments", release.attachments)
    return replace(
        release,
        meta=meta,
        body=body,
        about_title=about_title,
        about=about,
        attachments_title=attachments_title,
        attachments=attachments,
    )


def _text(unit: Unit, fn: Callable[[Unit], str]) -> str:
    return canonical(fn(unit)) if unit.text else ""


def _block(where: str, block: Block, fn: Callable[[Unit], str]) -> Block:
    if block.kind == "table":
        caption = _text(Unit(f"{where}:table:caption", block.text, block.line), fn)
        rows = tuple(
            tuple(_text(Unit(f"{where}:table:cell", cell, block.line), fn) for cell in row)
            for row in block.rows
        )
        return replace(block, text=caption, rows=rows)
    if block.kind == "image":
        return replace(block, text=_text(Unit(f"{where}:image:caption", block.text, block.line), fn))
    return replace(block, text=_text(Unit(f"{where}:{block.kind}:{block.level}", block.text, block.line), fn))
