"""Layout: the release as an ordered list of items, and the wording both renderers print.

One source of truth, so DOCX, PDF (and every later format) say exactly the same
thing in the same order.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import re
from dataclasses import dataclass
from typing import Literal

from toolkit.core.document import Block, Lang, Release
from toolkit.core.inline import plain
from toolkit.render.style import HouseStyle

# --------------------------------------------------------------------------
# Wording shared by the DOCX and PDF renderers (one source of truth, so both
# formats say exactly the same thing in the same order).
# --------------------------------------------------------------------------

AP_MONTHS: tuple[str, ...] = (
    "Jan.",
    "Feb.",
    "March",
    "April",
    "May",
    "June",
    "July",
    "Aug.",
    "Sept.",
    "Oct.",
    "Nov.",
    "Dec.",
)
KO_WEEKDAYS = "월화수목금토일"

Role = Literal[
    "ko_header",
    "release_line",
    "title",
    "subtitle",
    "heading",
    "paragraph",
    "list_item",
    "quote",
    "table",
    "image",
    "contact_label",
    "contact",
    "end_mark",
]


@dataclass(frozen=True)
class Item:
    """One laid-out element; renderers map ``role`` to their own styles."""

    role: Role
    text: str
    lead: str = ""  # bold lead-in printed before text (the English dateline)
    level: int = 0  # heading level 1..3
    line: int = 0  # source line, for messages
    rows: tuple[tuple[str, str], ...] = ()  # ko_header: (label, value) rows


def ap_date(day: _dt.date) -> str:
    """AP style: ``Nov. 5, 2026``, ``March 3, 2026``."""
    return f"{AP_MONTHS[day.month - 1]} {day.day}, {day.year}"


def ko_date(day: _dt.date) -> str:
    """Korean government style: ``2026. 11. 5.(목)``."""
    return f"{day.year}. {day.month}. {day.day}.({KO_WEEKDAYS[day.weekday()]})"


def parse_embargo(text: str) -> tuple[_dt.date, _dt.time | None, _dt.tzinfo | None] | None:
    """ISO date or datetime → (date, time or None, tz or None); anything else → None."""
    raw = text.strip()
    if not re.match(r"^\d{4}-\d{2}-\d{2}", raw):
        return None
    try:
        if len(raw) == 10:
            return _dt.date.fromisoformat(raw), None, None
        moment = _dt.datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment.date(), moment.time(), moment.tzinfo


def _tz_label(tz: _dt.tzinfo | None, day: _dt.date) -> str:
    if tz is None:
        return ""
    offset = tz.utcoffset(_dt.datetime(day.year, day.month, day.day))
    if offset is None:
        return ""
    minutes = int(offset.total_seconds() // 60)
    if minutes == 9 * 60:
        return " KST"
    if minutes == 0:
        return " UTC"
    sign = "+" if minutes >= 0 else "-"
    return f" (UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d})"


def embargo_text(embargo: str, lang: Lang) -> str:
    """The embargo moment as readers expect it; free text is kept as is."""
    parsed = parse_embargo(embargo)
    if parsed is None:
        return embargo.strip()
    day, time, tz = parsed
    if lang == "ko":
        text = ko_date(day)
        return text if time is None else f"{text} {time:%H:%M}"
    text = ap_date(day)
    return text if time is None else f"{text}, {time:%H:%M}{_tz_label(tz, day)}"


def _fill(template: str, values: dict[str, str]) -> str:
    """Replace ``{name}`` placeholders; an empty value takes one adjacent space with it."""
    out = template
    for name, value in values.items():
        token = "{" + name + "}"
        if not value:
            out = out.replace(token + " ", "").replace(" " + token, "").replace(token, "")
        else:
            out = out.replace(token, value)
    return out


def organization(release: Release, style: HouseStyle) -> str:
    return release.meta.organization.strip() or style.for_lang(release.lang).organization


def footer_text(release: Release, style: HouseStyle) -> str:
    """Copyright line for every page: meta.copyright or the house default.

    The year comes from meta.date, never the clock (reproducible builds); no
    date → the year placeholder is dropped.
    """
    meta = release.meta
    template = meta.copyright.strip() or style.for_lang(release.lang).copyright
    year = str(meta.date.year) if meta.date else ""
    return _fill(template, {"year": year, "organization": organization(release, style)})


def page_number_text(release: Release, style: HouseStyle, page: int, pages: int) -> str:
    return _fill(style.for_lang(release.lang).page_number, {"page": str(page), "pages": str(pages)})


def dateline_text(release: Release, style: HouseStyle) -> str:
    """``CHANGWON, South Korea, Nov. 5, 2026 — `` for English; "" for Korean.

    A dateline that already holds a comma ("Seoul, Korea") keeps its own
    region; no date → city and country only; no city → no dateline.
    """
    meta = release.meta
    if release.lang != "en" or not meta.dateline.strip():
        return ""
    city, _, region = meta.dateline.strip().partition(",")
    region = region.strip() or style.en.country
    parts = [city.strip().upper()]
    if region:
        parts.append(region)
    if meta.date:
        parts.append(ap_date(meta.date))
    return ", ".join(parts) + " — "


def release_line_text(release: Release, style: HouseStyle) -> str:
    """English: FOR IMMEDIATE RELEASE or the embargo line."""
    lang_style = style.for_lang(release.lang)
    if release.meta.embargo.strip():
        return _fill(lang_style.embargo_line, {"embargo": embargo_text(release.meta.embargo, release.lang)})
    return lang_style.release_line


def ko_release_time(release: Release, style: HouseStyle) -> str:
    """보도일시 value: the embargo (``… 06:00 이후 보도``) or the date."""
    meta = release.meta
    if meta.embargo.strip():
        if parse_embargo(meta.embargo) is None:
            return meta.embargo.strip()
        return _fill(style.ko.embargo_line, {"embargo": embargo_text(meta.embargo, "ko")})
    return ko_date(meta.date) if meta.date else ""


def _block_items(block: Block) -> list[Item]:
    """The items of one block, printing its visible text.

    Minimal for now: inline formatting is not printed, a table is one
    paragraph per row (cells joined by " | ", caption first), a photo is its
    caption.
    """
    if block.kind == "table":
        rows = [" | ".join(plain(cell) for cell in row) for row in block.rows]
        texts = ([plain(block.text)] if block.text else []) + rows
        return [Item(role="paragraph", text=text, line=block.line) for text in texts]
    if block.kind == "image":
        caption = plain(block.text)
        return [Item(role="paragraph", text=caption, line=block.line)] if caption else []
    level = min(max(block.level, 1), 3) if block.kind == "heading" else 0
    return [Item(role=block.kind, text=plain(block.text), level=level, line=block.line)]


def layout(release: Release, style: HouseStyle) -> tuple[Item, ...]:
    """The release as an ordered list of items, identical for DOCX and PDF."""
    meta = release.meta
    lang_style = style.for_lang(release.lang)
    items: list[Item] = []
    if release.lang == "ko":
        rows = [(lang_style.header_label, organization(release, style))]
        for label, value in (
            (lang_style.label_date, ko_release_time(release, style)),
            (lang_style.label_department, meta.department.strip()),
            (lang_style.label_contact, meta.contact.strip()),
        ):
            if value:
                rows.append((label, value))
        items.append(Item(role="ko_header", text=lang_style.header_label, rows=tuple(rows)))
    else:
        line_text = release_line_text(release, style)
        if line_text:
            items.append(Item(role="release_line", text=line_text))
    items.append(Item(role="title", text=meta.title))
    if meta.subtitle.strip():
        subtitle = meta.subtitle.strip()
        if release.lang == "ko" and not subtitle.startswith(("-", "–", "—")):
            subtitle = "- " + subtitle
        items.append(Item(role="subtitle", text=subtitle))
    dateline = dateline_text(release, style)
    body_start = len(items)
    for block in release.body:
        for item in _block_items(block):
            if dateline and block.kind == "paragraph":
                item = dataclasses.replace(item, lead=dateline)
                dateline = ""
            items.append(item)
    if dateline:  # no paragraph to carry it: print it alone
        items.insert(body_start, Item("paragraph", "", lead=dateline.strip()))
    for title_text, blocks in (
        (release.about_title, release.about),
        (release.attachments_title, release.attachments),
    ):
        section = list(blocks)
        title = plain(title_text).strip()
        if title:
            if section and section[0].kind == "heading" and plain(section[0].text).strip() == title:
                section = section[1:]
            items.append(Item(role="heading", text=title, level=2))
        for block in section:
            items.extend(_block_items(block))
    if release.lang == "en":
        if meta.contact.strip():
            items.append(Item(role="contact_label", text=lang_style.contact_label))
            items.append(Item(role="contact", text=meta.contact.strip()))
        if lang_style.end_mark:
            items.append(Item(role="end_mark", text=lang_style.end_mark))
    return tuple(items)
