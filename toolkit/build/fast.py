"""The no-op rebuild: a pack whose recorded input files are unchanged is up to date
without reading a single release.

Planning a release is a pure function of bytes: its source and translation files, their
memories, its photos, an HWPX source's YAML beside it, the glossary, the house style,
the fonts, the options and the caps. So once a release was planned without the engine,
the build cache records the names of the files its plan read, the release folder's
listing and one key over all of it (with the bytes hashed as the plan saw them, or as
it wrote them) — plus the findings and warnings that plan reported. The next run only
hashes those files again: the same key means the same plan, so the pack is up to date
(its outputs are still checked by their hashes) and the findings are shown again as
they were. Any difference (a changed byte, a file added to the folder, another glossary
or option) takes the full path, which decides as before and records afresh.

Nothing is recorded for a plan that translated anything (the engine's output is not a
file we can hash), could not be built, left a file untouched, or lost a race with an
editor. Hashes are taken before the bytes are used, never after: a file that changes
in between makes the recorded key stale, which only costs a full plan next time.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from toolkit.build.cache import Output, cached_outputs
from toolkit.core.document import Finding
from toolkit.core.errors import Problem
from toolkit.sources import ReleaseSet

FAST_FORMAT = 1  # bump when what the key covers changes
_LIMIT_ENV = "PRESSPACK_LIMIT_"


@dataclass(frozen=True)
class FastHit:
    """A release found up to date from its recorded inputs: what the full path would report."""

    outputs: list[Output]
    findings: list[Finding]
    warnings: list[Problem]


def code_stamp() -> str:
    """Every file of the installed presspack by name, size and modification time.

    The version number alone would let a checkout or upgrade that changes a check or a
    renderer without bumping it replay the old findings: any such change (a pull, a
    reinstall, an edit) takes the full path once instead.
    """
    root = Path(__file__).resolve().parents[1]
    h = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if "__pycache__" in path.parts:
            continue
        try:
            st = path.stat()
        except OSError:
            continue
        if path.is_file():
            h.update(f"{path.relative_to(root).as_posix()}:{st.st_size}:{st.st_mtime_ns}\0".encode())
    return h.hexdigest()


def run_key(parts: Iterable[str], glossary: Path | None) -> str | None:
    """What every release of this run shares: presspack's code, style, fonts, options,
    glossary bytes and the caps (``PRESSPACK_LIMIT_*``) — None when the glossary cannot be
    read (the full path then reports why)."""
    h = hashlib.sha256(f"presspack-fast:{FAST_FORMAT}\0{code_stamp()}\0".encode())
    for part in parts:
        h.update(part.encode("utf-8") + b"\0")
    if glossary is None:
        h.update(b"no glossary\0")
    else:
        digest = file_sha256(glossary)
        if digest is None:
            return None
        h.update(f"glossary:{glossary}:{digest}\0".encode())
    limits = sorted((k, v) for k, v in os.environ.items() if k.startswith(_LIMIT_ENV))
    h.update(json.dumps(limits).encode("utf-8"))
    return h.hexdigest()


def file_sha256(path: Path) -> str | None:
    """sha256 of a file's bytes; None when it cannot be read (absent, a folder, …)."""
    try:
        with path.open("rb") as fh:
            return hashlib.file_digest(fh, "sha256").hexdigest()
    except OSError:
        return None


def listing(folder: Path) -> list[str]:
    """Names in a release folder: a file appearing (a memory, a YAML beside an HWPX
    source, a new language) changes what a plan would read."""
    try:
        return sorted(os.listdir(folder))
    except OSError:
        return []


def sidecars(path: Path) -> list[str]:
    """Names an HWPX source's reader looks for beside it (toolkit.sources.hwpx)."""
    if path.suffix.lower() not in (".hwpx", ".hwp"):
        return []
    stem = path.name[: -len(path.suffix)]
    base = re.sub(r"\.(ko|en)$", "", stem)
    return [f"{stem}.yaml", f"{base}.yaml", "release.yaml"]


def release_key(
    run: str, rs: ReleaseSet, names: Sequence[str], files: Mapping[str, str], folder_names: Sequence[str]
) -> str:
    """One release's key: the run's, the release set as discovered (paths as given, so
    findings name files the same way), its folder listing and each recorded file's hash."""
    h = hashlib.sha256(run.encode() + b"\0")
    h.update(json.dumps([rs.name, str(rs.folder), sorted((k, str(v)) for k, v in rs.files.items())]).encode())
    h.update(json.dumps(list(folder_names), ensure_ascii=False).encode("utf-8"))
    h.update(json.dumps([[n, files.get(n, "")] for n in names], ensure_ascii=False).encode("utf-8"))
    return h.hexdigest()


def record(
    run: str,
    rs: ReleaseSet,
    files: Mapping[str, str],
    folder_names: Iterable[str],
    findings: Sequence[Finding],
    warnings: Sequence[Problem],
) -> dict[str, Any]:
    """The cache entry's ``fast`` part for a release planned from ``files`` (name → sha256)."""
    names = sorted(files)
    folder = sorted(set(folder_names))
    return {
        "key": release_key(run, rs, names, files, folder),
        "files": names,
        "findings": [_finding_json(f) for f in findings],
        "warnings": [asdict(w) for w in warnings],
    }


def lookup(run: str | None, rs: ReleaseSet, entry: Any, out: Path) -> FastHit | None:
    """The release's outputs, findings and warnings if nothing it was planned from changed."""
    if run is None or not isinstance(entry, dict):
        return None
    fast = entry.get("fast")
    key = entry.get("key")
    if not isinstance(fast, dict) or not isinstance(key, str):
        return None
    try:
        names = [str(n) for n in fast["files"]]
        files: dict[str, str] = {}
        for name in names:
            digest = file_sha256(rs.folder / name)
            if digest is None:
                return None
            files[name] = digest
        if fast["key"] != release_key(run, rs, names, files, listing(rs.folder)):
            return None
        findings = [_finding(f) for f in fast["findings"]]
        warnings = [Problem(**w) for w in fast["warnings"]]
    except (KeyError, TypeError, ValueError):
        return None  # a damaged or foreign entry: the full path decides
    outputs = cached_outputs(out, rs.name, entry, key)
    if outputs is None:
        return None
    return FastHit(outputs, findings, warnings)


def _finding_json(f: Finding) -> dict[str, Any]:
    return {
        "check": f.check,
        "severity": f.severity,
        "message": f.message,
        "file": f.file,
        "line": f.line,
        "segment": f.segment,
        "extra": dict(f.extra),
    }


def _finding(data: Any) -> Finding:
    if not isinstance(data, dict):
        raise TypeError("finding")
    extra = data.get("extra", {})
    if not isinstance(extra, dict):
        raise TypeError("extra")
    return Finding(
        check=str(data["check"]),
        severity=data["severity"],
        message=str(data["message"]),
        file=str(data["file"]),
        line=int(data["line"]),
        segment=str(data["segment"]),
        extra={str(k): str(v) for k, v in extra.items()},
    )
