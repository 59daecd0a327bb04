"""``presspack review``: resolve tm-review findings (accept the suggestion, or keep the text)."""

from __future__ import annotations

from pathlib import Path

from toolkit.core.config import default_glossary
from toolkit.translation.review import ReviewResult, parse_spec, resolve_reviews

__all__ = ["ReviewResult", "parse_spec", "resolve"]


def resolve(spec: str, *, accept: bool, glossary: Path | None = None) -> ReviewResult:
    """``spec`` is ``FILE:LINE`` (as the finding prints it), ``FILE:LINE,LINE`` or ``FILE`` (all)."""
    from toolkit.translation.files import _load_matcher, _translator_fn

    path, lines = parse_spec(spec)
    glossary = glossary if glossary is not None else default_glossary(path)
    return resolve_reviews(
        path,
        lines,
        accept=accept,
        matcher_for=lambda src: _load_matcher(glossary, src),
        translator=_translator_fn,
    )
