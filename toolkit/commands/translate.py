"""``presspack translate``: a release file or stdin, translated offline."""

from __future__ import annotations

from pathlib import Path
from typing import TextIO

from toolkit.core.config import default_glossary
from toolkit.translation.files import TranslateRequest, TranslateResult, run_translate

__all__ = ["TranslateRequest", "TranslateResult", "translate"]


def translate(
    source: Path,
    *,
    stdin: TextIO,
    to_lang: str | None = None,
    from_lang: str | None = None,
    glossary: Path | None = None,
    output: Path | None = None,
    dry_run: bool = False,
) -> TranslateResult:
    """Translate ``source`` (``-`` for stdin); glossary as for ``build``."""
    request = TranslateRequest(
        source=source,
        to_lang=to_lang,
        from_lang=from_lang,
        glossary=glossary if glossary is not None else default_glossary(source),
        output=output,
        dry_run=dry_run,
    )
    return run_translate(request, stdin=stdin)
