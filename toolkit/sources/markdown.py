"""Release Markdown: reading it into blocks, writing it back, patching only changed lines.

Release Markdown is CommonMark plus GFM tables, read with markdown-it-py (raw
HTML off). One parse decides what a block is when reading *and* which lines
a patch rewrites, so a translator's file never reads back differently from
what presspack meant to write:

* :func:`_load_markdown` — the reader (front matter + body, every problem at once);
* :func:`dump_markdown` — the writer (:mod:`toolkit.sources.markdown_writer`);
* :func:`patch_markdown` — rewrites only the lines of changed blocks and keys
  (:mod:`toolkit.sources.markdown_patch`);
* :func:`encode_like` — keeps the BOM and CRLF line endings of the file replaced.

The conventions (photos, captions, sections, end marks) are in
:mod:`toolkit.sources.markdown_reader` and ``releases/README.md``.
"""

from __future__ import annotations

from toolkit.sources.markdown_document import _load_markdown, read_document, read_markdown_text
from toolkit.sources.markdown_patch import patch_markdown
from toolkit.sources.markdown_writer import dump_markdown

__all__ = [
    "_load_markdown",
    "dump_markdown",
    "encode_like",
    "patch_markdown",
    "read_document",
    "read_markdown_text",
]


def encode_like(text: str, old: bytes | None) -> bytes:
    """Encode ``text`` keeping the BOM and CRLF line endings of the file it replaces
    (a Windows editor's file must not turn into an all-lines-changed diff)."""
    bom = b"\xef\xbb\xbf" if old is not None and old.startswith(b"\xef\xbb\xbf") else b""
    if old is not None and b"\r\n" in old:
        text = text.replace("\n", "\r\n")
    return bom + text.encode("utf-8")
