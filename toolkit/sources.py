"""Reading release sources: Markdown + YAML front matter, plain text, Word DOCX.

Everything a user can hand us is decoded, validated and turned into a
:class:`~toolkit.document.Release`. All problems of one file are collected and
raised together so staff fix a file in one pass, not one error per run.
"""

from __future__ import annotations

import codecs
import datetime as dt
import difflib
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from toolkit.document import LANGS, Block, BlockKind, Lang, Meta, Release
from toolkit.errors import Problem, SourceError, problem

SOURCE_SUFFIXES = (".md", ".markdown", ".txt", ".docx")
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
    "translation_of",
)
_COPYRIGHT_RE = re.compile(r"^\s*(?:©|ⓒ|\(c\)|Copyright\b)", re.IGNORECASE)
_HANGUL_RE = re.compile(r"[\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f]")
_LETTER_RE = re.compile(r"[^\W\d_]")
_HEADING_RE = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_BULLET_RE = re.compile(r"^\s*[-*+]\s+(.*)$")
_QUOTE_RE = re.compile(r"^\s*>\s?(.*)$")
_END_MARK_RE = re.compile(r"^\s*(?:###|-\s*30\s*-|-끝-|<끝>)\s*$")


@dataclass(frozen=True)
class SourceFile:
    """A decoded source: text with LF newlines plus what we noticed on the way."""

    path: Path
    text: str
    encoding: str
    warnings: tuple[Problem, ...] = ()


@dataclass(frozen=True)
class LoadedRelease:
    """A parsed release with the non-fatal problems (warnings) found in it."""

    release: Release
    translation_of: Lang | None = None
    warnings: tuple[Problem, ...] = ()


@dataclass(frozen=True)
class ReleaseSet:
    """One release: its name and the file of each language it has."""

    name: str
    folder: Path
    files: dict[str, Path] = field(default_factory=dict)  # lang -> path, sorted by lang

    def file_for(self, lang: str) -> Path | None:
        return self.files.get(lang)


# --------------------------------------------------------------------------- decoding


def decode_source(path: Path, data: bytes | None = None) -> SourceFile:
    """Decode bytes as UTF-8 (BOM or not), UTF-16 with BOM, or CP949/EUC-KR.

    Korean Windows tools still save CP949; we decode it correctly when the
    bytes are valid CP949 and read as Hangul, never guess further (mojibake is
    worse than a clear refusal).
    """
    if data is None:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise SourceError(
                problem(
                    path,
                    None,
                    f"cannot read file ({exc.strerror})",
                    "check the path and permissions",
                )
            ) from exc
    if not data.strip():
        raise SourceError(problem(path, None, "file is empty", "write the release text into it"))
    warnings: list[Problem] = []
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise SourceError(problem(path, None, "invalid UTF-16 text", "save the file as UTF-8")) from exc
        encoding = "utf-16"
    elif b"\x00" in data:
        raise SourceError(
            problem(
                path,
                None,
                "binary file, not a text release",
                "give a .md, .txt or .docx release (Word files must end in .docx)",
            )
        )
    else:
        try:
            text = data.decode("utf-8-sig")
            encoding = "utf-8-sig" if data.startswith(codecs.BOM_UTF8) else "utf-8"
        except UnicodeDecodeError as exc:
            text, encoding = _decode_legacy(path, data, exc)
            warnings.append(
                Problem(
                    file=str(path),
                    line=None,
                    what=f"file is {encoding.upper()} encoded (decoded as Korean {encoding.upper()})",
                    fix="save it as UTF-8 to silence this warning",
                    severity="warning",
                )
            )
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    bad = [i for i, ch in enumerate(text) if unicodedata.category(ch) == "Cc" and ch not in "\n\t"]
    if bad and len(bad) > max(8, len(text) // 100):
        raise SourceError(
            problem(path, None, "binary file, not a text release", "give a .md, .txt or .docx release")
        )
    if bad:
        text = "".join(ch for ch in text if not (unicodedata.category(ch) == "Cc" and ch not in "\n\t"))
    return SourceFile(path=path, text=text, encoding=encoding, warnings=tuple(warnings))


def _decode_legacy(path: Path, data: bytes, exc: UnicodeDecodeError) -> tuple[str, str]:
    line = data[: exc.start].count(b"\n") + 1
    try:
        text = data.decode("cp949")
    except UnicodeDecodeError:
        raise SourceError(
            problem(
                path,
                line,
                "file is not valid UTF-8 (nor CP949/EUC-KR Korean)",
                "save the file as UTF-8 (in Notepad: Save As → Encoding: UTF-8)",
            )
        ) from exc
    letters = _LETTER_RE.findall(text)
    hangul = _HANGUL_RE.findall(text)
    if not letters or len(hangul) < len(letters) * 0.2:
        raise SourceError(
            problem(
                path,
                line,
                "file is not valid UTF-8 and does not look like CP949/EUC-KR Korean either",
                "save the file as UTF-8",
            )
        )
    try:
        data.decode("euc-kr")
        encoding = "euc-kr"
    except UnicodeDecodeError:
        encoding = "cp949"
    return text, encoding


# --------------------------------------------------------------------------- language


def detect_lang(text: str) -> Lang:
    """Korean when a fair share of the letters are Hangul; English otherwise."""
    letters = len(_LETTER_RE.findall(text))
    hangul = len(_HANGUL_RE.findall(text))
    return "ko" if letters and hangul / letters >= 0.2 else "en"


# --------------------------------------------------------------------------- front matter


def _split_front_matter(src: SourceFile) -> tuple[str | None, int, str, int]:
    """Return (yaml_text, yaml_first_line, body_text, body_first_line)."""
    text = src.text
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return None, 0, text, 1
    for i in range(1, len(lines)):
        if lines[i].strip() in ("---", "..."):
            return "\n".join(lines[1:i]), 2, "\n".join(lines[i + 1 :]), i + 2
    raise SourceError(
        problem(
            src.path,
            1,
            "front matter is not closed",
            "add a line with '---' after the last front matter key",
        )
    )


def _parse_front_matter(
    path: Path, yaml_text: str, first_line: int
) -> tuple[dict[str, tuple[str, int]], list[Problem]]:
    """Parse YAML front matter into {key: (raw string value, line)}.

    Values are kept as written (no YAML date/boolean coercion) so we can
    validate them ourselves and point at the line.
    """
    import yaml

    problems: list[Problem] = []
    try:
        node = yaml.compose(yaml_text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = first_line + mark.line if mark is not None else first_line
        reason = getattr(exc, "problem", None) or str(exc)
        raise SourceError(
            problem(
                path,
                line,
                f"invalid front matter ({reason})",
                "write one 'key: value' per line; quote values containing ':'",
            )
        ) from exc
    values: dict[str, tuple[str, int]] = {}
    if node is None:
        return values, problems
    if not isinstance(node, yaml.MappingNode):
        raise SourceError(
            problem(
                path,
                first_line,
                "front matter is not a list of 'key: value' lines",
                "write one 'key: value' per line",
            )
        )
    for key_node, value_node in node.value:
        line = first_line + key_node.start_mark.line
        key = str(key_node.value).strip()
        if not isinstance(value_node, yaml.ScalarNode):
            if isinstance(value_node, yaml.SequenceNode) and all(
                isinstance(v, yaml.ScalarNode) for v in value_node.value
            ):
                value = "\n".join(str(v.value) for v in value_node.value)
            else:
                problems.append(
                    problem(
                        path,
                        line,
                        f"'{key}' must be text",
                        f"write '{key}: …' on one line or as a '|' block",
                    )
                )
                continue
        else:
            value = str(value_node.value)
            if value_node.tag == "tag:yaml.org,2002:null" and value in ("", "~", "null"):
                value = ""
        if key in values:
            problems.append(problem(path, line, f"duplicate front matter key '{key}'", "keep only one"))
        values[key] = (value.strip("\n").rstrip(), line)
    return values, problems


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


# --------------------------------------------------------------------------- body


def _is_about_heading(text: str, lang: str) -> bool:
    t = text.strip()
    if re.match(r"^About\b", t):
        return True
    return bool(re.search(r"(소개|개요)$", t)) and not t.startswith("About")


def parse_markdown_body(body: str, first_line: int) -> list[Block]:
    """Turn Markdown-ish body text into blocks.

    Inline markup is deliberately *not* interpreted: releases are printed
    exactly as written (an asterisk in a quote must survive).
    """
    blocks: list[Block] = []
    para: list[str] = []
    para_line = 0
    kind: BlockKind = "paragraph"

    def flush() -> None:
        nonlocal para, kind
        if para:
            joined = " ".join(s.strip() for s in para if s.strip())
            if joined:
                blocks.append(Block(kind=kind, text=joined, line=para_line))
        para = []
        kind = "paragraph"

    for offset, raw in enumerate(body.split("\n")):
        lineno = first_line + offset
        line = raw.rstrip()
        if not line.strip():
            flush()
            continue
        if _END_MARK_RE.match(line):
            flush()
            continue
        heading = _HEADING_RE.match(line)
        if heading:
            flush()
            text = heading.group(2).strip()
            if text:
                blocks.append(
                    Block(kind="heading", text=text, level=min(len(heading.group(1)), 3), line=lineno)
                )
            continue
        bullet = _BULLET_RE.match(line)
        if bullet and not (para and kind == "paragraph"):
            flush()
            blocks.append(Block(kind="bullet", text=bullet.group(1).strip(), line=lineno))
            continue
        quote = _QUOTE_RE.match(line)
        if quote:
            if kind != "quote":
                flush()
                kind = "quote"
                para_line = lineno
            para.append(quote.group(1))
            continue
        if kind == "quote":
            flush()
        if not para:
            para_line = lineno
            if line.startswith("\\") and len(line) > 1 and line[1] in "#-*+>\\":
                line = line[1:]  # an escaped leading marker is literal text
        para.append(line)
    flush()
    return blocks


def _split_about(blocks: Sequence[Block], lang: str) -> tuple[list[Block], list[Block], str]:
    for i, block in enumerate(blocks):
        if block.kind == "heading" and _is_about_heading(block.text, lang):
            return list(blocks[:i]), list(blocks[i + 1 :]), block.text
    return list(blocks), [], ""


def _split_copyright(blocks: list[Block]) -> tuple[list[Block], str]:
    if blocks and blocks[-1].kind == "paragraph" and _COPYRIGHT_RE.match(blocks[-1].text):
        return blocks[:-1], blocks[-1].text
    return blocks, ""


# --------------------------------------------------------------------------- readers


def load_release(path: Path, *, expected_lang: str | None = None) -> LoadedRelease:
    """Read one source file of any supported kind, validating everything at once."""
    suffix = path.suffix.lower()
    if suffix == ".docx":
        return _load_docx(path, expected_lang)
    src = decode_source(path)
    if suffix in (".md", ".markdown") or src.text.lstrip("\ufeff").startswith("---\n"):
        return _load_markdown(src, expected_lang)
    return _load_plain(src, expected_lang)


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
        extra=tuple(sorted((k, v) for k, (v, _) in values.items() if k not in KNOWN_KEYS)),
    )
    return meta, translation_of


def _finish(
    path: Path,
    meta: Meta,
    blocks: list[Block],
    translation_of: Lang | None,
    problems: list[Problem],
    warnings: list[Problem],
    copyright_from_body: str = "",
) -> LoadedRelease:
    body, about, about_title = _split_about(blocks, meta.lang)
    if about:
        about, trailing_copyright = _split_copyright(about)
    else:
        body, trailing_copyright = _split_copyright(body)
    footer = copyright_from_body or trailing_copyright
    if footer and not meta.copyright:
        meta = replace(meta, copyright=footer)
    if not body and not about:
        problems.append(
            problem(
                path,
                None,
                "release has no body text",
                "add paragraphs after the front matter/headline",
            )
        )
    if problems:
        raise SourceError(sorted(problems, key=lambda p: p.line or 0) + warnings)
    release = Release(
        meta=meta,
        body=tuple(body),
        about=tuple(about),
        about_title=about_title,
        source_path=str(path),
    )
    return LoadedRelease(release=release, translation_of=translation_of, warnings=tuple(warnings))


def _load_markdown(src: SourceFile, expected_lang: str | None) -> LoadedRelease:
    problems: list[Problem] = []
    warnings: list[Problem] = list(src.warnings)
    yaml_text, yaml_line, body_text, body_line = _split_front_matter(src)
    values: dict[str, tuple[str, int]] = {}
    if yaml_text is not None:
        values, fm_problems = _parse_front_matter(src.path, yaml_text, yaml_line)
        problems.extend(fm_problems)
    blocks = parse_markdown_body(body_text, body_line)
    # A Markdown file without a title key may carry its headline as "# H1".
    if (
        not values.get("title", ("", 0))[0].strip()
        and blocks
        and blocks[0].kind == "heading"
        and blocks[0].level == 1
    ):
        values["title"] = (blocks[0].text, blocks[0].line)
        blocks = blocks[1:]
    meta, translation_of = _meta_from_values(
        src.path,
        values,
        values.get("title", ("", 0))[0] + "\n" + body_text,
        expected_lang,
        problems,
        warnings,
    )
    return _finish(src.path, meta, blocks, translation_of, problems, warnings)


def _load_plain(src: SourceFile, expected_lang: str | None) -> LoadedRelease:
    """The seed's shape: headline, paragraphs (one per line or blank-separated), © footer."""
    problems: list[Problem] = []
    warnings: list[Problem] = list(src.warnings)
    lines = src.text.split("\n")
    numbered = [(i + 1, ln.strip()) for i, ln in enumerate(lines)]
    non_empty = [(n, t) for n, t in numbered if t]
    if not non_empty:
        raise SourceError(problem(src.path, None, "file is empty", "write the release text into it"))
    title_line, title = non_empty[0]
    rest = [(n, ln.rstrip()) for n, ln in numbered if n > title_line]
    # Hard-wrapped text (blank lines between multi-line blocks) joins lines;
    # otherwise every line is its own paragraph, as Word's "Save as text" writes.
    groups: list[list[tuple[int, str]]] = [[]]
    for n, ln in rest:
        if ln.strip():
            groups[-1].append((n, ln.strip()))
        elif groups[-1]:
            groups.append([])
    groups = [g for g in groups if g]
    wrapped = any(len(g) > 1 for g in groups) and len(groups) > 1
    blocks: list[Block] = []
    if wrapped:
        for g in groups:
            blocks.append(Block(kind="paragraph", text=" ".join(t for _, t in g), line=g[0][0]))
    else:
        for g in groups:
            for n, t in g:
                blocks.append(Block(kind="paragraph", text=t, line=n))
    cleaned: list[Block] = []
    for b in blocks:
        if _END_MARK_RE.match(b.text):
            continue
        if len(b.text) < 80 and _is_about_heading(b.text, "") and not b.text.endswith((".", "다.")):
            cleaned.append(Block(kind="heading", text=b.text, level=2, line=b.line))
        else:
            cleaned.append(b)
    values = {"title": (title, title_line)}
    meta, translation_of = _meta_from_values(src.path, values, src.text, expected_lang, problems, warnings)
    return _finish(src.path, meta, cleaned, translation_of, problems, warnings)


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
            blocks.append(Block(kind="heading", text=text, level=min(max(level, 1), 3), line=index))
        elif "list" in style_l:
            blocks.append(Block(kind="bullet", text=text, line=index))
        elif "quote" in style_l:
            blocks.append(Block(kind="quote", text=text, line=index))
        else:
            blocks.append(Block(kind="paragraph", text=text, line=index))
    if not title and blocks:
        first = blocks.pop(0)
        title = first.text
    if not title:
        raise SourceError(
            problem(path, None, "document is empty", "type the headline and paragraphs into it")
        )
    values = {"title": (title, 1)}
    if subtitle:
        values["subtitle"] = (subtitle, 1)
    core_title = (document.core_properties.title or "").strip()
    _ = core_title  # the visible headline wins over file properties
    text_for_detection = title + "\n" + "\n".join(b.text for b in blocks)
    meta, translation_of = _meta_from_values(
        path, values, text_for_detection, expected_lang, problems, warnings
    )
    return _finish(path, meta, blocks, translation_of, problems, warnings)


# --------------------------------------------------------------------------- discovery

_RELEASE_FILE_RE = re.compile(r"^release\.(ko|en)\.(md|markdown|txt|docx)$", re.IGNORECASE)


def discover(paths: Iterable[Path]) -> list[ReleaseSet]:
    """Expand PATH arguments into release sets.

    A folder holding ``release.<lang>.*`` files is one release; any other
    folder is searched (one level per release folder, recursively) for such
    folders. A file is a single-language release named after its stem.
    """
    found: dict[str, ReleaseSet] = {}
    problems: list[Problem] = []

    def add(rs: ReleaseSet) -> None:
        key = str(rs.folder / rs.name)
        found[key] = rs

    for path in paths:
        if not path.exists():
            problems.append(problem(path, None, "no such file or folder", "check the path"))
            continue
        if path.is_file():
            if path.suffix.lower() not in SOURCE_SUFFIXES:
                problems.append(
                    problem(
                        path,
                        None,
                        f"unsupported file type '{path.suffix}'",
                        "give a .md, .txt or .docx release",
                    )
                )
                continue
            m = _RELEASE_FILE_RE.match(path.name)
            if m:
                rs = _release_set_from_folder(path.parent, problems)
                if rs is not None:
                    add(rs)
            else:
                add(ReleaseSet(name=path.stem, folder=path.parent, files={"": path}))
            continue
        rs = _release_set_from_folder(path, problems)
        if rs is not None:
            add(rs)
            continue
        subfolders = sorted(
            p
            for p in path.rglob("*")
            if p.is_dir() and not any(part.startswith(".") for part in p.relative_to(path).parts)
        )
        for sub in subfolders:
            rs = _release_set_from_folder(sub, problems)
            if rs is not None:
                add(rs)
        if not any(str(k).startswith(str(path)) for k in found):
            problems.append(
                problem(
                    path,
                    None,
                    "no releases found",
                    "a release folder holds release.ko.md and/or release.en.md",
                )
            )
    if problems:
        raise SourceError(problems)
    return sorted(found.values(), key=lambda r: (str(r.folder), r.name))


def _release_set_from_folder(folder: Path, problems: list[Problem]) -> ReleaseSet | None:
    files: dict[str, Path] = {}
    for child in sorted(folder.iterdir()):
        m = _RELEASE_FILE_RE.match(child.name)
        if not m or not child.is_file():
            continue
        lang = m.group(1).lower()
        if lang in files:
            problems.append(
                problem(
                    child,
                    None,
                    f"two '{lang}' sources in one release ({files[lang].name}, {child.name})",
                    "keep only one",
                )
            )
            continue
        files[lang] = child
    if not files:
        return None
    return ReleaseSet(name=folder.name, folder=folder, files=dict(sorted(files.items())))
