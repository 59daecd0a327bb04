"""Word .docx releases: styles, formatting, lists, tables and pictures become blocks.

Title/Subtitle/Heading/List/Quote styles give the block kinds; runs keep bold,
italics, line breaks and hyperlinks (as canonical inline Markdown); Word
numbering gives ordered and nested list items with their numbers; tables are
table blocks (a Caption paragraph above one is its caption); pictures are
image blocks pointing into the file (``release.docx#word/media/image1.png``)
with their alt text, and a Caption paragraph below one is its caption. The
보도자료 tables around the body (cover, 보도시점/배포, contact) are read back as
front matter, so a DOCX presspack wrote reads back as the release it was.
See :mod:`toolkit.sources.docx_rich`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from pathlib import Path
from typing import Any

from toolkit.core.document import Block
from toolkit.core.errors import Problem, SourceError, problem
from toolkit.core.inline import canonical, parse_inline, plain, to_inline
from toolkit.sources.docx_rich import ListState, caption_text, paragraph_content, rels_targets, table_rows
from toolkit.sources.release import LoadedRelease, _finish, _meta_from_values


def _load_docx(path: Path, expected_lang: str | None) -> LoadedRelease:
    """A release typed in Word: Title/Heading styles, paragraphs, list bullets."""
    import zipfile

    try:
        import docx  # python-docx

        document = docx.Document(str(path))
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise SourceError(
            problem(
                path,
                None,
                "not a readable Word .docx file",
                "open it in Word and save as .docx again",
            )
        ) from exc
    except Exception as exc:  # python-docx raises its own PackageNotFoundError etc.
        raise SourceError(
            problem(
                path,
                None,
                f"not a readable Word .docx file ({type(exc).__name__})",
                "open it in Word and save as .docx again",
            )
        ) from exc
    problems: list[Problem] = []
    warnings: list[Problem] = []
    values: dict[str, tuple[str, int]] = {}
    blocks = _newswire(_blocks(document, path, values), values)
    title = values.pop("title", ("", 0))[0]
    if not title and blocks and blocks[0].kind in ("paragraph", "heading"):
        title = plain(blocks.pop(0).text)
    if not title:
        raise SourceError(
            problem(path, None, "document is empty", "type the headline and paragraphs into it")
        )
    values["title"] = (title, 1)
    core_title = (document.core_properties.title or "").strip()
    _ = core_title  # the visible headline wins over file properties
    text_for_detection = title + "\n" + "\n".join(plain(t) for b in blocks for t in b.texts())
    meta, translation_of = _meta_from_values(
        path, values, text_for_detection, expected_lang, problems, warnings
    )
    return _finish(path, meta, blocks, translation_of, problems, warnings)


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# the 보도자료 tables presspack (and many offices) put around the body: read back as front matter
_COVER = "보도자료"
_TIME_LABELS = ("보도시점", "보도일시")
_DEPT_LABELS = ("담당 부서", "담당부서")


def _blocks(document: Any, path: Path, values: dict[str, tuple[str, int]]) -> list[Block]:
    """Body paragraphs and tables in document order, with formatting, lists and pictures."""
    from docx.text.paragraph import Paragraph

    part = document.part
    links, media = rels_targets(part.rels.values())
    try:
        numbering = part.numbering_part.element
    except (KeyError, NotImplementedError):
        numbering = None
    lists = ListState(numbering)
    blocks: list[Block] = []
    caption = ""  # a Caption paragraph waiting for the table below it
    index = 0
    body = list(document.element.body)
    for position, el in enumerate(body):
        if el.tag == f"{_W}tbl":
            rows = table_rows(el, links, media)
            if not rows:
                continue
            index += 1
            if _layout_table(rows, values, index):
                continue
            if len(rows) == 1 and len(rows[0]) == 1:  # a one-cell box (the 보도자료 title box)
                for p in el.iter(f"{_W}p"):
                    index += 1
                    _paragraph(Paragraph(p, part), path, links, media, lists, blocks, values, index)
                continue
            blocks.append(Block("table", caption, line=index, rows=rows))
            caption = ""
            continue
        if el.tag != f"{_W}p":
            continue
        index += 1
        para = Paragraph(el, part)
        style = ((para.style.name if para.style is not None else "") or "").lower()
        if style == "caption":
            text, _ = paragraph_content(el, links, media)
            nxt = body[position + 1] if position + 1 < len(body) else None
            if blocks and blocks[-1].kind == "image" and blocks[-1].line == index - 1:
                # the caption under a picture is its caption (and alt text) in the release
                blocks[-1] = dataclasses.replace(blocks[-1], text=caption_text(text))
                continue
            if nxt is not None and nxt.tag == f"{_W}tbl":
                caption = caption_text(text)
                continue
        _paragraph(para, path, links, media, lists, blocks, values, index)
    return blocks


def _layout_table(rows: tuple[tuple[str, ...], ...], values: dict[str, tuple[str, int]], line: int) -> bool:
    """Cover, 보도시점 and contact tables → front matter values; True when it was one."""
    cells = [" ".join(plain(c).split()) for row in rows for c in row]
    if cells and cells[0] == _COVER and len(cells) == 2:
        values.setdefault("organization", (cells[1], line))
        return True
    if cells and cells[0] in _TIME_LABELS and len(cells) == 4:
        # the date when a cell is just the date; the cells as written otherwise
        day = _ko_day(cells[3]) or _ko_day(cells[1])
        if day is not None:
            values.setdefault("date", (day.isoformat(), line))
        for key, cell in (("release_time", cells[1]), ("distribution", cells[3])):
            if cell and (day is None or _ko_day(cell) != day):
                values.setdefault(key, (cell, line))
        return True
    if cells and cells[0] in _DEPT_LABELS and all(len(r) == 5 for r in rows):
        values.setdefault("department", (" ".join(plain(rows[0][1]).split()), line))
        for row in rows:
            label, person, phone = (" ".join(plain(c).split()) for c in row[2:5])
            key = "manager" if label == "책임자" else "contact_person"
            if person and key not in values:
                values[key] = (person, line)
                if phone:
                    values[f"{key}_phone" if key == "manager" else "contact_phone"] = (phone, line)
        return True
    return False


def _ko_day(text: str) -> dt.date | None:
    """``2026. 11. 5.(목)`` (alone in its cell) → the date."""
    m = re.fullmatch(r"(\d{4})\.\s*(\d{1,2})\.\s*(\d{1,2})\.?\s*(?:\([월화수목금토일]\))?", text.strip())
    if not m:
        return None
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def _paragraph(
    para: Any,
    path: Path,
    links: dict[str, str],
    media: dict[str, str],
    lists: ListState,
    blocks: list[Block],
    values: dict[str, tuple[str, int]],
    index: int,
) -> None:
    el = para._p
    text, pictures = paragraph_content(el, links, media)
    for picture in pictures:
        blocks.append(
            Block("image", picture.alt, line=index, src=f"{path.name}#{picture.target}", title=picture.title)
        )
    if not plain(text).strip():
        return
    style_name = (para.style.name if para.style is not None else "") or ""
    style = style_name.lower()
    if "title" not in values and (style == "title" or (style.startswith("heading") and not blocks)):
        values["title"] = (" ".join(plain(text).split()), index)
        return
    if style == "subtitle" and "subtitle" not in values:
        subtitle = " ".join(plain(text).split())
        values["subtitle"] = (re.sub(r"^[-–—]\s*(.*?)(?:\s*[-–—])?$", r"\1", subtitle), index)
        return
    num_pr = el.pPr.numPr if el.pPr is not None else None
    if num_pr is not None and num_pr.numId is not None and num_pr.numId.val not in (None, 0):
        level = int(num_pr.ilvl.val) if num_pr.ilvl is not None else 0
        ordered, number = lists.item(str(num_pr.numId.val), level)
        blocks.append(Block("list_item", text, level=level, line=index, ordered=ordered, number=number))
    elif style.startswith("heading"):
        digits = re.findall(r"\d", style_name)
        level = int(digits[0]) if digits else 2
        blocks.append(Block(kind="heading", text=text, level=min(max(level, 1), 3), line=index))
    elif "list" in style:
        ordered = "number" in style
        number = 0
        if ordered:  # a numbered style without Word numbering: count the items in a row
            last = blocks[-1] if blocks else None
            follows = last is not None and last.kind == "list_item" and last.ordered and last.level == 0
            number = last.number + 1 if follows and last is not None else 1
        blocks.append(Block(kind="list_item", text=text, line=index, ordered=ordered, number=number))
    elif "quote" in style:
        blocks.append(Block(kind="quote", text=text, line=index))
    else:
        blocks.append(Block(kind="paragraph", text=text, line=index))


_RELEASE_LINE = re.compile(r"^(?:FOR IMMEDIATE RELEASE|EMBARGOED UNTIL\s+(?P<until>.+))$", re.IGNORECASE)
_AP_MONTHS = {
    m: i
    for i, m in enumerate(
        ("Jan.", "Feb.", "March", "April", "May", "June", "July", "Aug.", "Sept.", "Oct.", "Nov.", "Dec."), 1
    )
}
_DATELINE = re.compile(
    r"^(?P<city>[A-Z][A-Z .'\-]+),(?P<region>[^—]*?),?\s*(?:(?P<month>[A-Z][a-z]+\.?) (?P<day>\d{1,2}), "
    r"(?P<year>\d{4}))?\s*—\s*"
)
_CONTACT_LABEL = re.compile(r"^(?:Media )?contacts?:?$", re.IGNORECASE)
_END = re.compile(r"^\s*(?:###|-\s*30\s*-|-끝-|<끝>)\s*$")


def _newswire(blocks: list[Block], values: dict[str, tuple[str, int]]) -> list[Block]:
    """The newswire frame around an English body: release line, dateline lead, media contact, ###."""
    out: list[Block] = []
    contact_next = False
    for block in blocks:
        text = " ".join(plain(block.text).split())
        if block.kind == "paragraph" and not out and _RELEASE_LINE.match(text):
            until = _RELEASE_LINE.match(text).group("until")  # type: ignore[union-attr]
            if until:
                values.setdefault("embargo", (until, block.line))
            continue
        if block.kind == "paragraph" and _END.match(text):
            continue
        if block.kind == "paragraph" and _CONTACT_LABEL.match(text):
            contact_next = True
            continue
        if contact_next and block.kind == "paragraph":
            values.setdefault("contact", (plain(block.text), block.line))
            contact_next = False
            continue
        contact_next = False
        m = _DATELINE.match(text) if block.kind == "paragraph" and "dateline" not in values else None
        if m and block.text.startswith("**"):
            values["dateline"] = (m.group("city").strip(), block.line)
            region = m.group("region").strip()
            if region and region != "South Korea":
                values["dateline"] = (f"{m.group('city').strip()}, {region}", block.line)
            month = _AP_MONTHS.get(m.group("month") or "")
            if month and "date" not in values:
                iso = f"{int(m.group('year')):04d}-{month:02d}-{int(m.group('day')):02d}"
                values["date"] = (iso, block.line)
            spans = parse_inline(block.text)
            lead = len(m.group(0))
            rest, seen = [], 0
            for span in spans:  # drop the visible lead, keep the rest's formatting
                if seen >= lead:
                    rest.append(span)
                elif seen + len(span.text) > lead:
                    rest.append(dataclasses.replace(span, text=span.text[lead - seen :]))
                seen += len(span.text)
            text_rest = to_inline(rest).strip()
            if text_rest:
                out.append(dataclasses.replace(block, text=canonical(text_rest)))
            continue
        out.append(block)
    return out
