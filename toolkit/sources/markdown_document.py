"""A release Markdown file: its lines, front matter key spans, located blocks — and the Release they make.

The reader (:func:`_load_markdown`) and the patcher share :func:`read_document`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from toolkit.core import seeded
from toolkit.core.document import Block
from toolkit.core.errors import Problem
from toolkit.core.inline import plain
from toolkit.sources.decode import SourceFile
from toolkit.sources.frontmatter import _parse_front_matter, _split_front_matter
from toolkit.sources.markdown_reader import SECTIONS, Body, Located, SectionName, read_body
from toolkit.sources.release import LoadedRelease, Sections, _finish, _meta_from_values


@dataclass(frozen=True)
class FrontMatter:
    """Where the front matter is: its closing line and each key's lines (0-based, inclusive)."""

    close: int  # index of the closing '---' line
    keys: dict[str, tuple[int, int]]
    titled: bool = False  # has a non-empty 'title' value


@dataclass(frozen=True)
class Document:
    lines: list[str]
    front: FrontMatter | None
    body_start: int  # first line after the front matter
    body: Body
    title: Located | None  # the '# Headline' that gives the title when the front matter has none

    def blocks(self) -> dict[SectionName, tuple[Block, ...]]:
        return {name: tuple(loc.block for loc in self.body.sections[name]) for name in SECTIONS}


def front_matter(lines: list[str], *, keys_too: bool = True) -> FrontMatter | None:
    """The front matter's closing line and key spans (None: no front matter).

    ``keys_too=False``: only where it ends (the reader has parsed the values already).
    """
    seeded.seed_yaml()  # before yaml's import compiles its own
    import yaml

    if not lines or lines[0].strip() != "---":
        return None
    close = next((i for i in range(1, len(lines)) if lines[i].strip() in ("---", "...")), None)
    if close is None:
        return None
    keys: dict[str, tuple[int, int]] = {}
    if not keys_too:
        return FrontMatter(close, keys)
    titled = False
    try:
        node = yaml.compose("\n".join(lines[1:close]), Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return FrontMatter(close, keys)
    if not isinstance(node, yaml.MappingNode):
        return FrontMatter(close, keys)
    for key_node, value_node in node.value:
        first = 1 + key_node.start_mark.line
        last = 1 + value_node.end_mark.line
        if value_node.end_mark.column == 0 and last > first:
            last -= 1  # a block scalar ends at the start of the next line
        key = str(key_node.value).strip()
        keys[key] = (first, min(last, close - 1))
        if key == "title" and isinstance(value_node, yaml.ScalarNode) and str(value_node.value).strip():
            titled = True
    return FrontMatter(close, keys, titled)


def read_document(text: str, path: Path | str, *, title_from_h1: bool | None = None) -> Document:
    """Parse a release Markdown text (LF line endings, no BOM).

    ``title_from_h1``: take a leading ``# Headline`` as the title (default: when
    the front matter has no ``title`` key).
    """
    lines = text.split("\n")
    front = front_matter(lines, keys_too=title_from_h1 is None)
    body_start = front.close + 1 if front is not None else 0
    body = read_body(lines, body_start, path)
    if title_from_h1 is None:
        title_from_h1 = front is None or not front.titled
    title = None
    first = body.sections["body"][0] if body.sections["body"] else None
    if title_from_h1 and first is not None and first.block.kind == "heading" and first.block.level == 1:
        title = first
        body = Body(
            sections={**body.sections, "body": body.sections["body"][1:]},
            heads=body.heads,
            problems=body.problems,
            warnings=body.warnings,
        )
    return Document(lines=lines, front=front, body_start=body_start, body=body, title=title)


def _load_markdown(src: SourceFile, expected_lang: str | None, *, check_photos: bool = True) -> LoadedRelease:
    problems: list[Problem] = []
    warnings: list[Problem] = list(src.warnings)
    yaml_text, yaml_line, body_text, _ = _split_front_matter(src)
    values: dict[str, tuple[str, int]] = {}
    if yaml_text is not None:
        values, fm_problems = _parse_front_matter(src.path, yaml_text, yaml_line)
        problems.extend(fm_problems)
    doc = read_document(src.text, src.path, title_from_h1=not values.get("title", ("", 0))[0].strip())
    problems.extend(doc.body.problems)
    warnings.extend(doc.body.warnings)
    if doc.title is not None:
        values["title"] = (plain(doc.title.block.text), doc.title.block.line)
    meta, translation_of = _meta_from_values(
        src.path,
        values,
        values.get("title", ("", 0))[0] + "\n" + plain(body_text),
        expected_lang,
        problems,
        warnings,
    )
    blocks = doc.blocks()
    sections = Sections(
        body=blocks["body"],
        about=blocks["about"],
        about_title=doc.body.heads["about"].block.text if "about" in doc.body.heads else "",
        attachments=blocks["attachments"],
        attachments_title=doc.body.heads["attachments"].block.text if "attachments" in doc.body.heads else "",
    )
    return _finish(
        src.path, meta, [], translation_of, problems, warnings, sections=sections, check_photos=check_photos
    )


def read_markdown_text(text: str, path: Path | str = "<markdown>") -> LoadedRelease:
    """Read release Markdown held in memory (photos are not looked for on disk)."""
    return _load_markdown(SourceFile(path=Path(path), text=text, encoding="utf-8"), None, check_photos=False)
