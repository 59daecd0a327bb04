"""Word .docx releases: Title/Heading/List/Quote styles become blocks."""

from __future__ import annotations

import re
from pathlib import Path

from toolkit.core.document import Block
from toolkit.core.errors import Problem, SourceError, problem
from toolkit.core.inline import escape, plain
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
    title = ""
    subtitle = ""
    blocks: list[Block] = []
    for index, para in enumerate(document.paragraphs, start=1):
        text = " ".join(para.text.split())
        if not text:
            continue
        style = (para.style.name if para.style is not None else "") or ""
        style_l = style.lower()
        if not title and (style_l == "title" or (style_l.startswith("heading") and not blocks)):
            title = text
            continue
        if style_l == "subtitle" and not subtitle:
            subtitle = text
            continue
        if style_l.startswith("heading"):
            digits = re.findall(r"\d", style)
            level = int(digits[0]) if digits else 2
            blocks.append(Block(kind="heading", text=escape(text), level=min(max(level, 1), 3), line=index))
        elif "list" in style_l:
            blocks.append(Block(kind="list_item", text=escape(text), line=index))
        elif "quote" in style_l:
            blocks.append(Block(kind="quote", text=escape(text), line=index))
        else:
            blocks.append(Block(kind="paragraph", text=escape(text), line=index))
    if not title and blocks:
        first = blocks.pop(0)
        title = plain(first.text)
    if not title:
        raise SourceError(
            problem(path, None, "document is empty", "type the headline and paragraphs into it")
        )
    values = {"title": (title, 1)}
    if subtitle:
        values["subtitle"] = (subtitle, 1)
    core_title = (document.core_properties.title or "").strip()
    _ = core_title  # the visible headline wins over file properties
    text_for_detection = title + "\n" + "\n".join(plain(b.text) for b in blocks)
    meta, translation_of = _meta_from_values(
        path, values, text_for_detection, expected_lang, problems, warnings
    )
    return _finish(path, meta, blocks, translation_of, problems, warnings)
