"""``presspack export`` / ``presspack import``: translations out to agencies and CAT tools, and back."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from toolkit.core.atomic import write_bytes_atomic
from toolkit.core.config import default_glossary
from toolkit.core.errors import PresspackError, problem
from toolkit.interchange.apply import ImportResult, apply_incoming
from toolkit.interchange.segments import Exchange, current_state, exchange_of, is_the_source, resolve_release

__all__ = ["ExportResult", "ImportResult", "export_review", "export_tmx", "export_xliff", "import_exchange"]


@dataclass
class ExportResult:
    output: Path
    format: str
    translations: list[str] = field(default_factory=list)
    segments: int = 0
    states: dict[str, int] = field(default_factory=dict)

    def to_json(self) -> dict[str, object]:
        return {
            "output": str(self.output),
            "format": self.format,
            "translations": self.translations,
            "segments": self.segments,
            "states": self.states,
        }


def _exchange(release: Path, to: str | None, glossary: Path | None) -> Exchange:
    source, target, tgt = resolve_release(release, to)
    if target == source:  # --to named the language of the release's source
        raise PresspackError(is_the_source(source, tgt))
    glossary = glossary if glossary is not None else default_glossary(source)
    return exchange_of(current_state(source, target, tgt, glossary=glossary, action="export"))


def _result(output: Path, fmt: str, exchanges: Sequence[Exchange], data: bytes) -> ExportResult:
    write_bytes_atomic(output, data)
    states = Counter(s.state for ex in exchanges for s in ex.segments)
    return ExportResult(
        output=output,
        format=fmt,
        translations=[str(Path(ex.release).with_name(ex.target_file)) for ex in exchanges],
        segments=sum(len(ex.segments) for ex in exchanges),
        states=dict(sorted(states.items())),
    )


def export_xliff(
    release: Path,
    *,
    output: Path,
    to: str | None = None,
    version: Literal["1.2", "2.1"] = "1.2",
    glossary: Path | None = None,
) -> ExportResult:
    """Write one translation as XLIFF 1.2 (or 2.1): one unit per memory segment."""
    from toolkit.interchange.xliff import write_xliff

    ex = _exchange(release, to, glossary)
    return _result(output, f"XLIFF {version}", [ex], write_xliff(ex, version))


def export_review(
    release: Path, *, output: Path, to: str | None = None, glossary: Path | None = None
) -> ExportResult:
    """Write one translation as a bilingual review DOCX."""
    from toolkit.interchange.review_docx import write_review_docx

    ex = _exchange(release, to, glossary)
    return _result(output, "review DOCX", [ex], write_review_docx(ex))


def export_tmx(
    releases: Sequence[Path], *, output: Path, to: str | None = None, glossary: Path | None = None
) -> ExportResult:
    """Write the memories of every translation of ``releases`` (folders of releases too) as TMX 1.4b."""
    from toolkit.interchange.tmx import write_tmx
    from toolkit.sources import load_release
    from toolkit.sources.discover import discover
    from toolkit.translation.filesync import read_snapshot

    exchanges: list[Exchange] = []
    for rs in discover(list(releases)):
        if "" in rs.files:  # a single source file: its translation is the one beside it
            exchanges.append(_exchange(rs.files[""], to, glossary))
            continue
        for lang, path in rs.files.items():
            if to is not None and lang != to:
                continue
            if load_release(path, data=read_snapshot(path).data).translation_of:
                exchanges.append(_exchange(path, None, glossary))
    if not exchanges:
        raise PresspackError(
            problem(
                releases[0] if len(releases) == 1 else "",
                None,
                "no translation to export" + (f" into '{to}'" if to else ""),
                "translate the releases first (presspack build or presspack translate)",
            )
        )
    return _result(output, "TMX 1.4b", exchanges, write_tmx(exchanges))


def import_exchange(
    file: Path, release: Path | None = None, *, glossary: Path | None = None, dry_run: bool = False
) -> ImportResult:
    """Apply an XLIFF 1.2/2.x, review DOCX or TMX file to its translation(s) as post-edits."""
    from toolkit.interchange.detect import read_exchange

    incoming = read_exchange(file)
    result = ImportResult(file=file, format=incoming[0].format if incoming else "")
    near = [release] if release is not None else [file]
    glossary = glossary if glossary is not None else default_glossary(*near)
    for part in incoming:
        apply_incoming(part, release, result, glossary=glossary, dry_run=dry_run)
    return result
