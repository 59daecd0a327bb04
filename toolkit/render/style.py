"""House styles: page geometry, type sizes, colours and per-language wording.

A style lives in ``<templates>/<name>/style.toml``. Every key is optional: a
missing key keeps the built-in default below (which ``templates/default``
spells out in full), so a house can override only what differs. Unknown keys
and wrong types are errors (a typo must not be silently ignored), reported all
at once with the file and line.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from toolkit.core.document import Lang
from toolkit.core.errors import PresspackError, Problem, problem

STYLE_FILE = "style.toml"
PAGE_SIZES_MM: dict[str, tuple[float, float]] = {"A4": (210.0, 297.0), "Letter": (215.9, 279.4)}
FONT_KEYS: frozenset[str] = frozenset({"noto-sans", "noto-sans-kr"})
OUTPUT_FORMATS: tuple[str, ...] = ("docx", "pdf", "hwpx")  # every format a pack can hold
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


ABBREVIATION_STYLES: tuple[str, ...] = ("first-mention", "off")


@dataclass(frozen=True)
class TerminologyStyle:
    """How glossary names are written in translations.

    ``abbreviations``: "first-mention" writes a name with an abbreviation (the
    glossary's ``abbr`` column) as "full name (ABBR)" at its first mention in a
    release and "ABBR" after it — newswire house style; "off" writes the full
    name at every mention.
    """

    abbreviations: str = "first-mention"


@dataclass(frozen=True)
class OutputStyle:
    """What a pack holds by default (``--formats`` overrides it per build)."""

    formats: tuple[str, ...] = OUTPUT_FORMATS


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
    label_distribution: str = ""
    label_department: str = ""
    label_contact: str = ""
    attachments_label: str = ""
    table_caption: str = "{caption}"  # how a table caption is printed above its table
    photo_caption: str = "{caption}"  # how a photo caption is printed below its photo
    bullets: tuple[str, ...] = ("•", "◦", "▪")  # list markers by nesting level (repeating)


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
    attachments_label="Attachments",
    table_caption="{caption}",
    photo_caption="{caption}",
    bullets=("•", "◦", "▪"),
)

KO_DEFAULT = LangStyle(
    font_chain=("noto-sans-kr", "noto-sans"),
    organization="창원특례시",
    copyright="ⓒ {organization}. 무단 전재 및 재배포 금지",
    page_number="- {page} -",
    embargo_line="{embargo} 이후 보도",
    header_label="보도자료",
    label_date="보도시점",
    label_distribution="배포",
    label_department="담당 부서",
    label_contact="담당자",
    attachments_label="붙임",
    table_caption="< {caption} >",
    photo_caption="{caption}",
    bullets=("□", "○", "-", "·"),  # 개조식 markers (press-release-conventions.md)
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
    output: OutputStyle = field(default_factory=OutputStyle)
    en: LangStyle = EN_DEFAULT
    ko: LangStyle = KO_DEFAULT
    terminology: TerminologyStyle = field(default_factory=TerminologyStyle)

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
    except RecursionError:  # tomllib recurses into nested arrays/inline tables
        raise PresspackError(
            problem(path, None, "style file is nested too deeply", "a style holds [tables] of key = value")
        ) from None
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
    known = {"page", "type", "colors", "lang", "output", "terminology"}
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
    output = _section(OutputStyle(), data.get("output"), "output", path, locate, problems)
    bad_formats = [f for f in output.formats if f not in OUTPUT_FORMATS]
    if bad_formats or not output.formats:
        problems.append(
            problem(
                path,
                locate.line("output", "formats"),
                f"output.formats {list(output.formats)!r} is invalid",
                f"list formats from: {', '.join(OUTPUT_FORMATS)}",
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
        if not lang_style.bullets or any(len(b.strip()) != 1 for b in lang_style.bullets):
            problems.append(
                problem(
                    path,
                    locate.line(table, "bullets"),
                    f"bullets {list(lang_style.bullets)!r} must be single characters",
                    'list one marker per level, e.g. ["•", "◦", "▪"]',
                )
            )
        for key in ("table_caption", "photo_caption"):
            if "{caption}" not in getattr(lang_style, key):
                problems.append(
                    problem(
                        path,
                        locate.line(table, key),
                        f"{key} has no {{caption}}",
                        f'e.g. {key} = "{{caption}}"',
                    )
                )
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
    terminology = _section(TerminologyStyle(), data.get("terminology"), "terminology", path, locate, problems)
    if terminology.abbreviations not in ABBREVIATION_STYLES:
        problems.append(
            problem(
                path,
                locate.line("terminology", "abbreviations"),
                f"unknown abbreviations style {terminology.abbreviations!r}",
                "use " + " or ".join(f'"{v}"' for v in ABBREVIATION_STYLES),
            )
        )
    return HouseStyle(
        page=page, type=type_, colors=colors, output=output, en=en, ko=ko, terminology=terminology
    )


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
