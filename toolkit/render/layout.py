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
from toolkit.core.inline import escape
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
    "release_time",
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
    "contact_table",
    "end_mark",
]

# Roles whose ``text`` is inline Markdown (the body blocks, see core/document.py);
# every other role carries plain text (front matter and house wording).
INLINE_ROLES: frozenset[str] = frozenset({"heading", "paragraph", "list_item", "quote", "table", "image"})


@dataclass(frozen=True)
class Item:
    """One laid-out element; renderers map ``role`` to their own styles.

    * ``ko_header``: the 보도자료 cover row, ``rows`` = ((label, issuer),).
    * ``release_time``: the 보도시점 | … | 배포 | … row, ``rows`` = ((label, value), (label, value)).
    * ``contact_table``: the 보도자료 contact table; ``text`` is the department
      (담당 부서), ``rows`` are (role label, person, phone) per person
      (책임자 / 담당자), ``lead`` the department label. Placed after the body and
      the boilerplate, before 붙임 (press-release-conventions.md).
    * ``heading`` … ``image``: a body block (``block``); ``text`` is inline Markdown.
    * ``release_line``, ``title``, ``subtitle``, ``contact_label``, ``contact``
      (one item, lines separated by ``\n``), ``end_mark``: plain text.
    """

    role: Role
    text: str
    lead: str = ""  # bold lead-in printed before text (the English dateline)
    level: int = 0  # heading level 1..3
    line: int = 0  # source line, for messages
    rows: tuple[tuple[str, ...], ...] = ()  # ko_header / release_time / contact_table rows
    # the body block behind a heading/paragraph/list_item/quote/table/image item:
    # list level and number, table rows, image src for renderers that draw them
    block: Block | None = None
    attachment: bool = False  # part of the 붙임 / Attachments list

    @property
    def inline(self) -> bool:
        """True when ``text`` is inline Markdown (else plain text)."""
        return self.role in INLINE_ROLES


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
    """보도시점 value: ``release_time`` as written, the embargo (``… 06:00 이후 보도``) or the date."""
    meta = release.meta
    if meta.release_time.strip():
        return meta.release_time.strip()
    if meta.embargo.strip():
        if parse_embargo(meta.embargo) is None:
            return meta.embargo.strip()
        return _fill(style.ko.embargo_line, {"embargo": embargo_text(meta.embargo, "ko")})
    return ko_date(meta.date) if meta.date else ""


def ko_distribution(release: Release) -> str:
    """배포 value: ``distribution`` as written, else the release date."""
    meta = release.meta
    if meta.distribution.strip():
        return meta.distribution.strip()
    return ko_date(meta.date) if meta.date else ""


_PERSON_LABEL_RE = re.compile(r"^(책임자|담당자)\s*[:：]?\s*(.*)$")
_PHONE_LABEL_RE = re.compile(r"^(?:전화|연락처|tel\.?|phone|☎)\s*[:：]?\s*$", re.IGNORECASE)
_PHONE_TAIL_RE = re.compile(r"(\(?\+?\d[\d\-\s().]{6,}\d\)?)\s*$")


def contact_rows(release: Release) -> tuple[tuple[str, str, str], ...]:
    """(책임자|담당자, person, phone) rows of the 보도자료 contact table.

    From the structured keys (manager, contact_person, …) when given; else the
    free-text ``contact`` lines: a line may start with 책임자/담당자, a phone
    number at its end goes to the phone cell, an unlabeled line is a 담당자.
    """
    meta = release.meta
    rows: list[tuple[str, str, str]] = []
    email = meta.contact_email.strip()
    if meta.manager.strip():
        rows.append(("책임자", meta.manager.strip(), meta.manager_phone.strip()))
    if meta.contact_person.strip():
        phone = "\n".join(v for v in (meta.contact_phone.strip(), email) if v)
        rows.append(("담당자", meta.contact_person.strip(), phone))
    elif email and rows:
        label, person, phone = rows[-1]
        rows[-1] = (label, person, "\n".join(v for v in (phone, email) if v))
    if rows:
        return tuple(rows)
    for raw in meta.contact.split("\n"):
        line = " ".join(raw.split())
        if not line:
            continue
        label = "담당자"
        m = _PERSON_LABEL_RE.match(line)
        if m:
            label, line = m.group(1), m.group(2)
        phone = ""
        pm = _PHONE_TAIL_RE.search(line)
        if pm:
            phone = pm.group(1).strip()
            line = line[: pm.start()].strip().rstrip(",;")
        line = _PHONE_LABEL_RE.sub("", line)
        if not line and phone and not m and rows and not rows[-1][2]:
            rows[-1] = (rows[-1][0], rows[-1][1], phone)  # "김민지 주무관" then "055-…" on its own line
            continue
        rows.append((label, line, phone))
    return tuple(rows)


def contact_lines(release: Release, style: HouseStyle) -> tuple[str, ...]:
    """The English media contact: ``contact`` as written, else the structured keys
    (person, division and organization, phone, e-mail)."""
    meta = release.meta
    if meta.contact.strip():
        return tuple(line.strip() for line in meta.contact.strip().split("\n"))
    lines: list[str] = []
    person = meta.contact_person.strip() or meta.manager.strip()
    phone = meta.contact_phone.strip() or meta.manager_phone.strip()
    if person:
        lines.append(person)
    if meta.department.strip():
        lines.append(f"{meta.department.strip()}, {organization(release, style)}")
    if phone:
        lines.append(phone)
    if meta.contact_email.strip():
        lines.append(meta.contact_email.strip())
    if not person and not phone and not meta.contact_email.strip():
        return ()  # a department alone is no contact
    return tuple(lines)


def _block_item(block: Block, *, attachment: bool = False) -> Item:
    level = min(max(block.level, 1), 3) if block.kind == "heading" else 0
    return Item(
        role=block.kind, text=block.text, level=level, line=block.line, block=block, attachment=attachment
    )


def layout(release: Release, style: HouseStyle) -> tuple[Item, ...]:
    """The release as an ordered list of items, identical for DOCX, PDF and HWPX.

    Korean: the 보도자료 order of press-release-conventions.md — cover row,
    보도시점/배포 row, title and ``- … -`` subtitle, body, boilerplate, contact
    table, 붙임. English: the newswire order — release line, headline, subhead,
    dateline lead, body, About, attachments, media contact, ``###``.
    """
    meta = release.meta
    lang_style = style.for_lang(release.lang)
    items: list[Item] = []
    if release.lang == "ko":
        items.append(
            Item(
                role="ko_header",
                text=lang_style.header_label,
                rows=((lang_style.header_label, organization(release, style)),),
            )
        )
        items.append(
            Item(
                role="release_time",
                text=lang_style.label_date,
                rows=(
                    (lang_style.label_date, ko_release_time(release, style)),
                    (lang_style.label_distribution, ko_distribution(release)),
                ),
            )
        )
    else:
        line_text = release_line_text(release, style)
        if line_text:
            items.append(Item(role="release_line", text=line_text))
    items.append(Item(role="title", text=meta.title))
    if meta.subtitle.strip():
        subtitle = meta.subtitle.strip()
        # the Korean form is written ``- … -`` (press-release-conventions.md); a subtitle
        # written with its own dashes is kept as written
        if release.lang == "ko" and not subtitle.startswith(("-", "–", "—")):
            subtitle = f"- {subtitle} -"
        items.append(Item(role="subtitle", text=subtitle))
    dateline = dateline_text(release, style)
    for block in release.body:
        item = _block_item(block)
        if dateline and block.kind == "paragraph":
            item = dataclasses.replace(item, lead=dateline)
            dateline = ""
        items.append(item)
    if dateline:  # no paragraph to carry it: print it alone
        items.insert(len(items) - len(release.body), Item("paragraph", "", lead=dateline.strip()))
    about = list(release.about)
    title = release.about_title.strip()
    if title:
        if about and about[0].kind == "heading" and about[0].text.strip() == title:
            about = about[1:]
        items.append(Item(role="heading", text=title, level=2))
    items.extend(_block_item(b) for b in about)
    if release.lang == "ko":
        people = contact_rows(release)
        if people or meta.department.strip():
            items.append(
                Item(
                    role="contact_table",
                    text=meta.department.strip(),
                    lead=lang_style.label_department,
                    rows=people,
                )
            )
    if release.attachments:  # 붙임: after the body, boilerplate and contacts, as in a 보도자료
        label = release.attachments_title.strip() or escape(lang_style.attachments_label)
        items.append(Item(role="heading", text=label, level=2, attachment=True))
        items.extend(_block_item(b, attachment=True) for b in release.attachments)
    if release.lang == "en":
        lines = contact_lines(release, style)
        if lines:
            items.append(Item(role="contact_label", text=lang_style.contact_label))
            items.append(Item(role="contact", text="\n".join(lines)))
        if lang_style.end_mark:
            items.append(Item(role="end_mark", text=lang_style.end_mark))
    return tuple(items)


def list_marker(block: Block, style: HouseStyle, lang: Lang) -> str:
    """What a list item is printed with: its number (``3.``) or the level's bullet."""
    if block.ordered:
        return f"{block.number or 1}."
    bullets = style.for_lang(lang).bullets or ("•",)
    return bullets[max(block.level, 0) % len(bullets)]


def caption_template(style: HouseStyle, lang: Lang, kind: str) -> tuple[str, str]:
    """(text before, text after) the caption: ``< {caption} >`` → ``("< ", " >")``."""
    lang_style = style.for_lang(lang)
    template = lang_style.table_caption if kind == "table" else lang_style.photo_caption
    before, _, after = template.partition("{caption}")
    return before, after


def column_widths(rows: tuple[tuple[str, ...], ...], total: float) -> list[float]:
    """Widths of a body table's columns: shared by the renderers so a table looks
    the same in every format.

    Proportional to each column's longest cell (visible characters, Hangul
    counted double as it is about twice as wide), each column at least half
    an equal share so a short column (a time, an amount) never collapses.
    """
    from toolkit.core.inline import plain

    n_cols = max((len(r) for r in rows), default=0)
    if not n_cols:
        return []

    def width(text: str) -> float:
        visible = plain(text)
        return sum(2.0 if "\u1100" <= ch <= "\uffdc" else 1.0 for ch in visible) + 2.0

    need = [max((width(r[c]) for r in rows if c < len(r)), default=2.0) for c in range(n_cols)]
    floor = 0.5 / n_cols
    fixed: set[int] = set()
    while True:  # columns below the floor get it; the rest share what is left by need
        free = [c for c in range(n_cols) if c not in fixed]
        left = 1.0 - floor * len(fixed)
        shares = {c: left * need[c] / sum(need[f] for f in free) for c in free}
        low = {c for c, share in shares.items() if share < floor}
        if not low:
            break
        fixed |= low
    return [total * (floor if c in fixed else shares[c]) for c in range(n_cols)]
