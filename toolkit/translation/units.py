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

from toolkit.core.document import Block, Lang, Meta, Release
from toolkit.core.inline import canonical, escape, plain

__all__ = ["Unit", "release_from_units", "units_of"]


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
