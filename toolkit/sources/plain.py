"""Plain-text releases in the seed's shape: headline line, paragraphs, a trailing ©/ⓒ line."""

from __future__ import annotations

from toolkit.core.document import Block
from toolkit.core.errors import Problem, SourceError, problem
from toolkit.core.inline import escape
from toolkit.sources.decode import SourceFile
from toolkit.sources.release import _END_MARK_RE, LoadedRelease, _finish, _is_about_heading, _meta_from_values


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
            cleaned.append(Block(kind="heading", text=escape(b.text), level=2, line=b.line))
        else:
            cleaned.append(Block(kind=b.kind, text=escape(b.text), line=b.line))
    values = {"title": (title, title_line)}
    meta, translation_of = _meta_from_values(src.path, values, src.text, expected_lang, problems, warnings)
    return _finish(src.path, meta, cleaned, translation_of, problems, warnings, trailing_copyright=True)
