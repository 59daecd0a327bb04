"""What every reader shares: front matter values → Meta, body blocks → Release, validated at once.

All problems of one file are collected and raised together so staff fix a file in
one pass, not one error per run.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from toolkit.core.document import LANGS, Block, Lang, Meta, Release
from toolkit.core.errors import Problem, SourceError, problem
from toolkit.core.inline import plain
from toolkit.sources.decode import detect_lang
from toolkit.sources.images import check_images

KNOWN_KEYS = (
    "title",
    "subtitle",
    "date",
    "dateline",
    "lang",
    "organization",
    "copyright",
    "contact",
    "embargo",
    "department",
    "manager",
    "manager_phone",
    "contact_person",
    "contact_phone",
    "contact_email",
    "release_time",
    "distribution",
    "translation_of",
)

# the structured contact (보도자료 contact table / English media contact)
CONTACT_KEYS = ("manager", "manager_phone", "contact_person", "contact_phone", "contact_email")
_PHONE_RE = re.compile(r"^\+?[\d()][\d\s().\-]{5,}\d(?:\s*(?:ext\.?|내선|~)\s*\d{1,6})?$", re.IGNORECASE)
_EMAIL_RE = re.compile(r"^[^@\s<>()\[\],;:\"]+@[^@\s<>()\[\],;:\"]+\.[A-Za-z]{2,}$")


_COPYRIGHT_RE = re.compile(r"^\s*(?:©|ⓒ|\(c\)|Copyright\b)", re.IGNORECASE)


_END_MARK_RE = re.compile(r"^\s*(?:###|-\s*30\s*-|-끝-|<끝>)\s*$")


@dataclass(frozen=True)
class LoadedRelease:
    """A parsed release with the non-fatal problems (warnings) found in it."""

    release: Release
    translation_of: Lang | None = None
    warnings: tuple[Problem, ...] = ()


def _parse_date(path: Path, value: str, line: int, key: str, problems: list[Problem]) -> dt.date | None:
    value = value.strip()
    if not value:
        return None
    try:
        return (
            dt.date.fromisoformat(value[:10])
            if len(value) >= 10 and value[10:11] in ("", "T", " ")
            else dt.date.fromisoformat(value)
        )
    except ValueError:
        problems.append(
            problem(path, line, f"invalid {key} '{value}'", f"use an ISO date such as {key}: 2026-11-05")
        )
        return None


def _validate_embargo(path: Path, value: str, line: int, problems: list[Problem]) -> str:
    value = value.strip()
    if not value or not re.match(r"^\d{4}-", value):
        return value  # free text such as "Nov. 5, 2026, 6 a.m. KST" is allowed
    try:
        dt.datetime.fromisoformat(value)
    except ValueError:
        problems.append(
            problem(
                path,
                line,
                f"invalid embargo '{value}'",
                "use an ISO date-time such as embargo: 2026-11-05T06:00+09:00, or free text",
            )
        )
    return value


# Generic boilerplate titles (lower case, single spaces); "About <org>" and "<org> 소개/개요"
# are recognised by the organization's name (press-release-conventions.md).
_ABOUT_TITLES = frozenset(
    {
        "about",
        "about us",
        "about the company",
        "about the organization",
        "about the organisation",
        "company profile",
        "organization profile",
        "corporate profile",
        "boilerplate",
        *(
            f"{who} {what}"
            for who in ("회사", "기관", "기업", "법인", "단체", "재단")
            for what in ("소개", "개요")
        ),
    }
)
# A one-word Korean name that is an issuer's: ends like a public body's or a company's name.
_KO_ISSUER_RE = re.compile(
    r"^\S+(?:특별시|광역시|특례시|특별자치시|특별자치도|도청|시청|군청|구청|청|처|부|위원회|공사|공단|재단|협회|진흥회"
    r"|진흥원|연구원|연구소|조합|㈜|\(주\)|주식회사|그룹|시|도|군|구)$"
)
# Sections a release may end with after its boilerplate: the attachments and the contact.
_TAIL_HEADING_RE = re.compile(
    r"^(?:붙임|첨부|문의|연락처|담당자|Attachments?\b|Annex(?:es)?\b|Enclosures?\b"
    r"|(?:Media |Press )?Contacts?\b)",
    re.IGNORECASE,
)


def _heading_words(text: str) -> str:
    return " ".join(plain(text).split()).rstrip(":：").strip()


def _is_about_heading(text: str, lang: str = "", organization: str = "") -> bool:
    """A heading that can title the boilerplate: ``About …`` (the newswire form),
    a known title (``Company profile``, ``회사 개요``, ``기관 소개``) or
    ``<organization> 소개|개요`` — the organization's name, or when it is not
    known an issuer's name (``창원산업진흥원 소개``). "사업 개요" or "행사 소개"
    name no issuer: they are body sections. Where the heading stands is checked
    by :func:`about_start` (the boilerplate is the release's last section)."""
    words = _heading_words(text)
    if words.lower() in _ABOUT_TITLES or re.match(r"^About\s+\S", words):
        return True
    m = re.match(r"^(.+?)\s*(?:소개|개요)$", words)
    if not m:
        return False
    name = re.sub(r"\s+", "", m.group(1))
    org = re.sub(r"\s+", "", organization)
    if bool(org) and name == org:
        return True
    if not re.search(r"[\uac00-\ud7a3]", name):
        # a name in Latin letters is a proper name, an issuer's ("KAI 소개", or an English
        # release whose heading kept the Korean word: "Changwon Special City 소개")
        return bool(re.match(r"^(?=.*[A-Za-z])[A-Z0-9][\w&.,'’ -]*$", m.group(1).strip()))
    return bool(_KO_ISSUER_RE.match(name)) and " " not in m.group(1).strip()


def about_start(blocks: Sequence[Block], organization: str = "") -> int | None:
    """Index of the heading that starts the boilerplate (About) section, or None.

    The boilerplate is the release's last section: an About heading counts
    only when every heading after it is deeper (inside it), another About
    heading (a joint release's second boilerplate) or a closing section
    (붙임 / Attachments, Media contact / 문의). "창원특례시 소개" followed by
    "## 행사 결과" is a body section.
    """
    start: int | None = None
    level = 0
    inner: int | None = None  # the shallowest heading seen below the candidate
    for index in range(len(blocks) - 1, -1, -1):
        block = blocks[index]
        if block.kind != "heading":
            continue
        if _is_about_heading(block.text, organization=organization):
            if inner is not None and inner <= block.level:
                break  # a section of its own rank follows: not the last one
            start, level, inner = index, block.level, None
            continue
        if start is None and inner is None and _TAIL_HEADING_RE.match(_heading_words(block.text)):
            continue
        if start is not None:
            if block.level > level:
                continue  # a sub-heading of the section above: the About heading still stands
            break
        inner = block.level if inner is None else min(inner, block.level)
    return start



_ATTACHMENTS_RE = re.compile(r"^(?:붙임|첨부|Attachments?\b|Annex(?:es)?\b|Enclosures?\b)")


def _is_attachments_heading(text: str) -> bool:
    """``붙임`` / ``첨부`` / ``Attachments`` (also ``붙임 1. …``): the attachments section's heading."""
    return bool(_ATTACHMENTS_RE.match(text.strip()))


@dataclass(frozen=True)
class Sections:
    """A release body split at its About and attachments headings (headings not included)."""

    body: tuple[Block, ...]
    about: tuple[Block, ...] = ()
    about_title: str = ""
    attachments: tuple[Block, ...] = ()
    attachments_title: str = ""


def _split_sections(blocks: Sequence[Block], lang: str = "", organization: str = "") -> Sections:
    """The About heading (:func:`about_start`: the last section's) starts the About
    section, the first attachments heading the attachments section; each runs
    until the other one starts."""
    parts: dict[str, list[Block]] = {"body": [], "about": [], "attachments": []}
    titles = {"about": "", "attachments": ""}
    current = "body"
    about = about_start(blocks, organization)
    for index, block in enumerate(blocks):
        if block.kind == "heading":
            if index == about:
                current, titles["about"] = "about", block.text
                continue
            if not titles["attachments"] and _is_attachments_heading(block.text):
                current, titles["attachments"] = "attachments", block.text
                continue
        parts[current].append(block)
    return Sections(
        body=tuple(parts["body"]),
        about=tuple(parts["about"]),
        about_title=titles["about"],
        attachments=tuple(parts["attachments"]),
        attachments_title=titles["attachments"],
    )


def _split_copyright(blocks: Sequence[Block]) -> tuple[tuple[Block, ...], str]:
    if blocks and blocks[-1].kind == "paragraph" and _COPYRIGHT_RE.match(plain(blocks[-1].text)):
        return tuple(blocks[:-1]), plain(blocks[-1].text)
    return tuple(blocks), ""


def _meta_from_values(
    path: Path,
    values: dict[str, tuple[str, int]],
    text_for_detection: str,
    expected_lang: str | None,
    problems: list[Problem],
    warnings: list[Problem],
) -> tuple[Meta, Lang | None]:
    def get(key: str) -> str:
        return values.get(key, ("", 0))[0].strip()

    for key, (_, line) in values.items():
        if key not in KNOWN_KEYS:
            near = difflib.get_close_matches(key.lower(), KNOWN_KEYS, n=1, cutoff=0.7)
            hint = f"did you mean '{near[0]}'?" if near else f"known keys: {', '.join(KNOWN_KEYS)}"
            warnings.append(
                Problem(
                    file=str(path),
                    line=line,
                    what=f"unknown front matter key '{key}' (ignored)",
                    fix=hint,
                    severity="warning",
                )
            )
    title = get("title")
    if not title:
        line = values.get("title", ("", 1))[1] or 1
        problems.append(problem(path, line, "missing title", "add 'title: <headline>' to the front matter"))
    lang_raw = get("lang").lower()
    lang: Lang
    if lang_raw:
        if lang_raw not in LANGS:
            problems.append(
                problem(
                    path,
                    values["lang"][1],
                    f"unknown lang '{lang_raw}'",
                    "use 'lang: ko' or 'lang: en'",
                )
            )
            lang = detect_lang(text_for_detection)
        else:
            lang = "ko" if lang_raw == "ko" else "en"
    else:
        lang = detect_lang(text_for_detection)
    if expected_lang and lang != expected_lang:
        line = values["lang"][1] if "lang" in values else 1
        problems.append(
            problem(
                path,
                line,
                f"file name says '{expected_lang}' but the text is '{lang}'",
                f"rename the file or set 'lang: {expected_lang}'",
            )
        )
    translation_of: Lang | None = None
    tr = get("translation_of").lower()
    if tr:
        if tr not in LANGS or tr == lang:
            problems.append(
                problem(
                    path,
                    values["translation_of"][1],
                    f"invalid translation_of '{tr}'",
                    "name the source language (ko or en), different from this file's lang",
                )
            )
        else:
            translation_of = "ko" if tr == "ko" else "en"
    date = None
    if "date" in values:
        date = _parse_date(path, values["date"][0], values["date"][1], "date", problems)
    embargo = ""
    if "embargo" in values:
        embargo = _validate_embargo(path, values["embargo"][0], values["embargo"][1], problems)
    _validate_contact(path, values, problems)
    meta = Meta(
        title=" ".join(title.split()),
        lang=lang,
        subtitle=" ".join(get("subtitle").split()),
        date=date,
        dateline=get("dateline"),
        organization=get("organization"),
        copyright=get("copyright"),
        contact=values.get("contact", ("", 0))[0].strip(),
        embargo=embargo,
        department=get("department"),
        manager=" ".join(get("manager").split()),
        manager_phone=get("manager_phone"),
        contact_person=" ".join(get("contact_person").split()),
        contact_phone=get("contact_phone"),
        contact_email=get("contact_email"),
        release_time=" ".join(get("release_time").split()),
        distribution=" ".join(get("distribution").split()),
        extra=tuple(sorted((k, v) for k, (v, _) in values.items() if k not in KNOWN_KEYS)),
    )
    return meta, translation_of


def _validate_contact(path: Path, values: dict[str, tuple[str, int]], problems: list[Problem]) -> None:
    """Phones and e-mail must be what they claim; one contact style per file."""
    for key in ("manager_phone", "contact_phone"):
        value, line = values.get(key, ("", 0))
        if value.strip() and not _PHONE_RE.match(value.strip()):
            problems.append(
                problem(
                    path,
                    line,
                    f"{key} '{value.strip()}' is not a phone number",
                    f"write digits with - or spaces, e.g. {key}: 055-225-2000 (or +82-55-225-2000)",
                )
            )
    value, line = values.get("contact_email", ("", 0))
    if value.strip() and not _EMAIL_RE.match(value.strip()):
        problems.append(
            problem(
                path, line, f"contact_email '{value.strip()}' is not an e-mail address", "write name@host.kr"
            )
        )
    for key in ("manager", "contact_person", "release_time", "distribution"):
        value, line = values.get(key, ("", 0))
        if "\n" in value.strip():
            problems.append(problem(path, line, f"'{key}' must be one line", f"write '{key}: …' on one line"))
    for person, phone in (("manager", "manager_phone"), ("contact_person", "contact_phone")):
        if values.get(phone, ("", 0))[0].strip() and not values.get(person, ("", 0))[0].strip():
            problems.append(
                problem(
                    path,
                    values[phone][1],
                    f"{phone} without {person}",
                    f"add '{person}: <title and name>' (e.g. {person}: 주무관 이영희)",
                )
            )
    structured = [k for k in CONTACT_KEYS if values.get(k, ("", 0))[0].strip()]
    if structured and values.get("contact", ("", 0))[0].strip():
        problems.append(
            problem(
                path,
                values["contact"][1],
                f"both 'contact' and {', '.join(structured)} are given",
                "keep one: the free-text 'contact' or the structured keys (manager, contact_person, …)",
            )
        )


def _embedded_pictures_checked(path: Path, blocks: list[Block], warnings: list[Problem]) -> list[Block]:
    out: list[Block] = []
    for block in blocks:
        if block.kind == "image" and "#" in block.src:
            found = check_images(path, [block])
            if found:
                left_out = [replace(p, what=p.what + "; it was left out", severity="warning") for p in found]
                warnings.extend(left_out)
                if block.text:
                    out.append(Block("paragraph", block.text, line=block.line))
                continue
        out.append(block)
    return out


def _finish(
    path: Path,
    meta: Meta,
    blocks: list[Block],
    translation_of: Lang | None,
    problems: list[Problem],
    warnings: list[Problem],
    copyright_from_body: str = "",
    *,
    trailing_copyright: bool = False,
    sections: Sections | None = None,
    check_photos: bool = True,
) -> LoadedRelease:
    """Split sections (unless the reader did), validate, raise every problem at once.

    ``trailing_copyright``: a last paragraph starting with ©/ⓒ/Copyright is the
    page footer — the plain-text convention (the seed's shape). Markdown has
    the ``copyright:`` key for that, so there such a paragraph stays text.
    ``check_photos=False``: text held in memory (the patcher reading its own
    output), with no release folder to find photos in.
    """
    parts = sections if sections is not None else _split_sections(blocks, meta.lang, meta.organization)
    footer = copyright_from_body
    if trailing_copyright:
        if parts.attachments:
            attachments, trailing = _split_copyright(parts.attachments)
            parts = replace(parts, attachments=attachments)
        elif parts.about:
            about, trailing = _split_copyright(parts.about)
            parts = replace(parts, about=about)
        else:
            body, trailing = _split_copyright(parts.body)
            parts = replace(parts, body=body)
        footer = footer or trailing
    if footer and not meta.copyright:
        meta = replace(meta, copyright=footer)
    if not parts.body and not parts.about and not parts.attachments:
        problems.append(
            problem(
                path,
                None,
                "release has no body text",
                "add paragraphs after the front matter/headline",
            )
        )
    # photos named in the release must be right (an error); a picture inside a Word or
    # Hancom source that cannot be embedded (an EMF logo, a damaged file) is left out with
    # a warning — its caption stays — as the writer of that document did not choose it
    if check_photos:
        parts = replace(
            parts,
            body=tuple(_embedded_pictures_checked(path, list(parts.body), warnings)),
            about=tuple(_embedded_pictures_checked(path, list(parts.about), warnings)),
            attachments=tuple(_embedded_pictures_checked(path, list(parts.attachments), warnings)),
        )
        named = [b for b in (*parts.body, *parts.about, *parts.attachments) if "#" not in b.src]
        problems.extend(check_images(path, named))
    if problems:
        raise SourceError(sorted(problems, key=lambda p: p.line or 0) + warnings)
    release = Release(
        meta=meta,
        body=parts.body,
        about=parts.about,
        about_title=parts.about_title,
        attachments=parts.attachments,
        attachments_title=parts.attachments_title,
        source_path=str(path),
    )
    return LoadedRelease(release=release, translation_of=translation_of, warnings=tuple(warnings))
