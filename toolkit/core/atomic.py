"""Atomic file writes: a crash never leaves a half-written output behind.

Write to a temporary file in the same folder, flush to disk, then
``os.replace`` it over the target (atomic on POSIX and Windows). A file that
is replaced keeps its permission bits; a new one gets the usual umask ones
(mkstemp's private 0600 would hide outputs from colleagues).
"""

from __future__ import annotations

import contextlib
import difflib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


class WriteError(OSError):
    """Writing an output failed (disk full, permissions); ``filename`` is always the target."""


def write_bytes_atomic(path: Path, data: bytes, *, check: Callable[[], None] | None = None) -> None:
    """Write ``data`` to ``path`` atomically; any failure raises WriteError naming ``path``.

    A full disk must say which file could not be written, not only "No space
    left on device": the temporary file's name (or none at all) means nothing
    to the user. ``check`` runs right before the file is replaced (the new bytes
    already on disk) and may raise to cancel the write; what it raises passes through.
    """
    try:
        _write_atomic(path, data, check)
    except WriteError:
        raise
    except OSError as exc:
        raise WriteError(exc.errno or 0, exc.strerror or str(exc), str(path)) from exc


def _write_atomic(path: Path, data: bytes, check: Callable[[], None] | None = None) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        mode = path.stat().st_mode & 0o7777
    except OSError:
        mode = 0o666 & ~_umask()
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if check is not None:
            check()
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def unified_diff(path: Path, old: bytes | None, new: bytes) -> str:
    """The change a write would make, as ``git diff`` shows it (for ``--dry-run``)."""
    old_text = old.decode("utf-8", "replace") if old is not None else ""
    lines = difflib.unified_diff(
        old_text.splitlines(keepends=True),
        new.decode("utf-8").splitlines(keepends=True),
        fromfile=f"a/{path}" if old is not None else "/dev/null",
        tofile=f"b/{path}",
    )
    return "".join(lines)
