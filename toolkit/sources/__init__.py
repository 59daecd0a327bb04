"""Reading release sources: one module per input format, one shared Release model.

``load_release`` picks the reader by file type; ``discover`` expands command-line
paths into release folders.
"""

from __future__ import annotations

from pathlib import Path

from toolkit.sources.decode import SourceFile, decode_source, detect_lang
from toolkit.sources.discover import SOURCE_SUFFIXES, ReleaseSet, discover
from toolkit.sources.release import KNOWN_KEYS, LoadedRelease

__all__ = [
    "KNOWN_KEYS",
    "SOURCE_SUFFIXES",
    "LoadedRelease",
    "ReleaseSet",
    "SourceFile",
    "decode_source",
    "detect_lang",
    "discover",
    "load_release",
]


def load_release(path: Path, *, expected_lang: str | None = None, data: bytes | None = None) -> LoadedRelease:
    """Read one source file of any supported kind, validating everything at once.

    ``data`` is the file's content when the caller already read it (text formats):
    what is parsed is then exactly what was hashed, even if the file changes meanwhile.
    """
    suffix = path.suffix.lower()
    if suffix in (".hwpx", ".hwp"):
        from toolkit.sources.hwpx import _load_hwpx

        return _load_hwpx(path, expected_lang)
    if suffix == ".docx":
        from toolkit.sources.docx import _load_docx

        return _load_docx(path, expected_lang)
    src = decode_source(path, data)
    if suffix in (".md", ".markdown") or src.text.lstrip("\ufeff").startswith("---\n"):
        from toolkit.sources.markdown import _load_markdown

        return _load_markdown(src, expected_lang)
    from toolkit.sources.plain import _load_plain

    return _load_plain(src, expected_lang)
