"""``presspack build``: release packs from release sources."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from toolkit.build.pack import BuildResult
from toolkit.build.plan import BuildOptions
from toolkit.core.config import default_glossary, default_jobs, default_templates
from toolkit.core.document import LANGS
from toolkit.core.errors import PresspackError

__all__ = ["BuildOptions", "BuildResult", "build", "fonts_need_building", "parse_formats", "parse_langs"]


def parse_langs(value: str | None) -> tuple[str, ...] | None:
    """``"ko,en"`` → ``("ko", "en")``; ``None``/empty → every language a release has."""
    if not value:
        return None
    langs = tuple(dict.fromkeys(v.strip().lower() for v in value.split(",") if v.strip()))
    for lang in langs:
        if lang not in LANGS:
            raise ValueError(f"unknown language '{lang}'; use ko, en or ko,en")
    return langs


def parse_formats(value: str | None) -> tuple[str, ...] | None:
    """``"docx,hwpx"`` → ``("docx", "hwpx")``; ``None``/empty → the house style's default."""
    from toolkit.build.pack import parse_formats as parse

    return parse(value)


def build(
    paths: Sequence[Path],
    *,
    out: Path = Path("out"),
    langs: tuple[str, ...] | None = None,
    glossary: Path | None = None,
    templates: Path | None = None,
    style: str = "default",
    check: bool = False,
    dry_run: bool = False,
    jobs: int | None = None,
    formats: tuple[str, ...] | None = None,
    progress: Callable[[int, int, str], None] | None = None,
) -> BuildResult:
    """Build (or, with ``check``/``dry_run``, only plan) the packs of ``paths``.

    ``jobs`` None: :func:`~toolkit.core.config.default_jobs` (every usable core, at most
    four); 1 keeps everything in this process."""
    from toolkit.build.pack import build as run_build

    if not paths:
        raise PresspackError("no release given; pass release folders or files")
    options = BuildOptions(
        out=out,
        langs=langs,
        templates=templates or default_templates(),
        style=style,
        glossary=glossary if glossary is not None else default_glossary(*paths),
        check=check,
        dry_run=dry_run,
        jobs=jobs if jobs is not None else default_jobs(),
        formats=formats,
    )
    return run_build(list(paths), options, progress=progress)


def fonts_need_building() -> bool:
    """True on the first run, when the static font instances are not cached yet."""
    from toolkit.render.fonts import fonts_cached

    return not fonts_cached()
