"""House styles: page geometry, type sizes, colours and per-language wording.

A style lives in ``<templates>/<name>/style.toml``. Every key is optional: a
missing key keeps the built-in default below (which ``templates/default``
spells out in full), so a house can override only what differs. Unknown keys
and wrong types are errors (a typo must not be silently ignored), reported all
at once with the file and line.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import hashlib
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, TypeVar

from toolkit.document import Block, Lang, Release
from toolkit.errors import PresspackError, Problem, problem

STYLE_FILE = "style.toml"
PAGE_SIZES_MM: dict[str, tuple[float, float]] = {"A4": (210.0, 297.0), "Letter": (215.9, 279.4)}
FONT_KEYS: frozenset[str] = frozenset({"noto-sans", "noto-sans-kr"})
_COLOR_RE = re.compile(r"^#[0-9A-Fa-f]{6}$")
T = TypeVar("T")


@dataclass(frozen=True)
class PageStyle:
    """Page geometry in millimetres (converted by each renderer)."""

    size: str = "A4"
    margin_top_mm: float = 22.0
    margin_bottom_mm: float = 25.0
    margin_left_mm: float = 22.0
    margin_right_mm: float = 22.0

    @property
    def size_mm(self) -> tuple[float, float]:
        return PAGE_SIZES_MM[self.size]


@dataclass(frozen=True)
class TypeStyle:
    """Font sizes in points; leading is ``size * line_spacing``."""

    body_size: float = 10.5
    title_size: float = 18.0
    subtitle_size: float = 12.5
    heading_size: float = 12.0
    release_line_size: float = 10.0
    header_size: float = 9.5
    footer_size: float = 8.0
    line_spacing: float = 1.45


@dataclass(frozen=True)
class ColorStyle:
    """Colours as ``#RRGGBB``."""

    text: str = "#1A1A1A"
    accent: str = "#003A70"
    muted: str = "#5F6368"
    header_fill: str = "#E8EEF5"


@dataclass(frozen=True)
class LangStyle:
    """Wording and fonts for one language."""

    font_chain: tuple[str, ...] = ("noto-sans-kr", "noto-sans")
    organization: str = ""
    copyright: str = ""
    page_number: str = "{page}"
    release_line: str = ""
    embargo_line: str = "{embargo}"
    country: str = ""
    end_mark: str = ""
    contact_label: str = ""
    header_label: str = ""
    label_date: str = ""
    label_department: str = ""
    label_contact: str = ""


EN_DEFAULT = LangStyle(
    font_chain=("noto-sans", "noto-sans-kr"),
    organization="Changwon Special City",
    copyright="© {year} {organization}. All rights reserved.",
    page_number="Page {page} of {pages}",
    release_line="FOR IMMEDIATE RELEASE",
    embargo_line="EMBARGOED UNTIL {embargo}",
    country="South Korea",
    end_mark="###",
    contact_label="Media contact",
)

KO_DEFAULT = LangStyle(
    font_chain=("noto-sans-kr", "noto-sans"),
    organization="창원특례시",
    copyright="ⓒ {organization}. 무단 전재 및 재배포 금지",
    page_number="- {page} -",
    embargo_line="{embargo} 이후 보도",
    header_label="보도자료",
    label_date="보도일시",
    label_department="담당부서",
    label_contact="담당자",
)


@dataclass(frozen=True)
class HouseStyle:
    """A complete, validated house style."""

    name: str = "default"
    path: str = ""
    fingerprint: str = ""  # sha256 of the style file bytes
    page: PageStyle = field(default_factory=PageStyle)
    type: TypeStyle = field(default_factory=TypeStyle)
    colors: ColorStyle = field(default_factory=ColorStyle)
    en: LangStyle = EN_DEFAULT
    ko: LangStyle = KO_DEFAULT

    def for_lang(self, lang: Lang) -> LangStyle:
        return self.ko if lang == "ko" else self.en


def style_fingerprint(style: HouseStyle) -> str:
    """Cache key of the style: changes whenever the style file's bytes change."""
    return style.fingerprint


def load_style(templates_dir: Path, name: str = "default") -> HouseStyle:
    """Read and validate ``<templates_dir>/<name>/style.toml``."""
    path = Path(templates_dir) / name / STYLE_FILE
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise PresspackError(
            problem(
                path,
                None,
                f"cannot read house style {name!r}: {exc.strerror or exc}",
                f"create {STYLE_FILE} there or pick another style with --style",
            )
        ) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise PresspackError(problem(path, line, "style file is not UTF-8", "save it as UTF-8")) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"at line (\d+)", str(exc))
        raise PresspackError(
            problem(
                path,
                int(m.group(1)) if m else None,
                f"invalid TOML: {exc}",
                "fix the syntax (strings need quotes, tables [name])",
            )
        ) from None
    problems: list[Problem] = []
    locate = _Locator(text)
    style = _build(data, path, locate, problems)
    if problems:
        raise PresspackError(problems)
    return dataclasses.replace(style, name=name, path=str(path), fingerprint=hashlib.sha256(raw).hexdigest())


class _Locator:
    """Finds the line of ``[table]`` / ``key =`` in the TOML text for messages."""

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()

    def line(self, table: str, key: str | None = None) -> int | None:
        current = ""
        table_line: int | None = None
        for no, raw in enumerate(self.lines, start=1):
            stripped = raw.strip()
            header = re.match(r"^\[\s*([^\]]+?)\s*\]", stripped)
            if header:
                current = header.group(1).replace('"', "").replace(" ", "")
                if current == table:
                    table_line = no
                continue
            if key is not None and current == table:
                m = re.match(r'^"?([A-Za-z0-9_.-]+)"?\s*=', stripped)
                if m and m.group(1) == key:
                    return no
        return table_line


def _build(data: dict[str, Any], path: Path, locate: _Locator, problems: list[Problem]) -> HouseStyle:
    known = {"page", "type", "colors", "lang"}
    for key in sorted(set(data) - known):
        problems.append(
            problem(
                path,
                locate.line(key) or locate.line("", key),
                f"unknown section or key {key!r}",
                f"use one of: {', '.join(sorted(known))}",
            )
        )
    page = _section(PageStyle(), data.get("page"), "page", path, locate, problems)
    if page.size not in PAGE_SIZES_MM:
        problems.append(
            problem(
                path,
                locate.line("page", "size"),
                f"unknown page size {page.size!r}",
                f"use one of: {', '.join(PAGE_SIZES_MM)}",
            )
        )
    type_ = _section(TypeStyle(), data.get("type"), "type", path, locate, problems)
    colors = _section(ColorStyle(), data.get("colors"), "colors", path, locate, problems)
    for f in dataclasses.fields(ColorStyle):
        value = getattr(colors, f.name)
        if not _COLOR_RE.match(value):
            problems.append(
                problem(
                    path,
                    locate.line("colors", f.name),
                    f"colour {f.name} = {value!r} is not #RRGGBB",
                    'write it like "#003A70"',
                )
            )
    langs = data.get("lang", {})
    if not isinstance(langs, dict):
        problems.append(problem(path, locate.line("", "lang"), "lang must be a table"))
        langs = {}
    for key in sorted(set(langs) - {"en", "ko"}):
        problems.append(
            problem(path, locate.line(f"lang.{key}"), f"unknown language {key!r}", "use en or ko")
        )
    en = _section(EN_DEFAULT, langs.get("en"), "lang.en", path, locate, problems)
    ko = _section(KO_DEFAULT, langs.get("ko"), "lang.ko", path, locate, problems)
    for table, lang_style in (("lang.en", en), ("lang.ko", ko)):
        bad = [k for k in lang_style.font_chain if k not in FONT_KEYS]
        if bad or not lang_style.font_chain:
            problems.append(
                problem(
                    path,
                    locate.line(table, "font_chain"),
                    f"font_chain {list(lang_style.font_chain)!r} is invalid",
                    f"list fonts from: {', '.join(sorted(FONT_KEYS))}",
                )
            )
    return HouseStyle(page=page, type=type_, colors=colors, en=en, ko=ko)


def _section(
    default: T,
    table: object,
    name: str,
    path: Path,
    locate: _Locator,
    problems: list[Problem],
) -> T:
    """Overlay one TOML table onto a dataclass default, type-checking each key."""
    if table is None:
        return default
    if not isinstance(table, dict):
        problems.append(problem(path, locate.line("", name), f"{name} must be a table"))
        return default
    fields = {f.name: f for f in dataclasses.fields(default)}  # type: ignore[arg-type]
    changes: dict[str, object] = {}
    for key, value in table.items():
        line = locate.line(name, key)
        if key not in fields:
            problems.append(
                problem(
                    path,
                    line,
                    f"unknown key {key!r} in [{name}]",
                    f"known keys: {', '.join(sorted(fields))}",
                )
            )
            continue
        current = getattr(default, key)
        if isinstance(current, tuple):
            if isinstance(value, list) and all(isinstance(v, str) for v in value):
                changes[key] = tuple(value)
            else:
                problems.append(problem(path, line, f"{name}.{key} must be a list of strings", '["a", "b"]'))
        elif isinstance(current, float):
            if isinstance(value, int | float) and not isinstance(value, bool) and value > 0:
                changes[key] = float(value)
            else:
                problems.append(problem(path, line, f"{name}.{key} must be a positive number, got {value!r}"))
        elif isinstance(current, str):
            if isinstance(value, str):
                changes[key] = value
            else:
                problems.append(problem(path, line, f"{name}.{key} must be a string, got {value!r}"))
    return dataclasses.replace(default, **changes)  # type: ignore[type-var]


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
    "bullet",
    "quote",
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


def _block_item(block: Block) -> Item:
    level = min(max(block.level, 1), 3) if block.kind == "heading" else 0
    return Item(role=block.kind, text=block.text, level=level, line=block.line)


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
    if release.lang == "en":
        if meta.contact.strip():
            items.append(Item(role="contact_label", text=lang_style.contact_label))
            items.append(Item(role="contact", text=meta.contact.strip()))
        if lang_style.end_mark:
            items.append(Item(role="end_mark", text=lang_style.end_mark))
    return tuple(items)


def bundled_templates() -> Path:
    """The default house style shipped inside the package (used when no
    ``templates/`` folder is given or found, e.g. after a plain pip install)."""
    return Path(__file__).parent / "data" / "templates"
