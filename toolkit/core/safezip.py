"""Reading zip archives (DOCX, HWPX, argos packages) without trusting them.

A 1 MB file can claim to unpack to 4 GB. Every size is checked twice: from
the zip directory before anything is decompressed, and again while
streaming (a directory can lie), against the caps in :mod:`toolkit.core.limits`.
Member names are checked before anything is written to disk (no absolute
paths, no ``..``, no symlinks, no duplicates). Nothing here knows about any
particular format; callers turn :class:`ArchiveError` and
:class:`~toolkit.core.limits.LimitExceeded` into their own user-facing errors.
"""

from __future__ import annotations

import re
import shutil
import stat
import zipfile
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from types import TracebackType

from toolkit.core.limits import (
    ZIP_MEMBER_BYTES,
    ZIP_MEMBERS,
    ZIP_TOTAL_BYTES,
    Limit,
    LimitExceeded,
    human_size,
)

__all__ = ["ArchiveError", "SafeZip", "free_bytes", "unsafe_member"]

_CHUNK = 256 * 1024
# What zipfile raises for damaged, encrypted or exotic archives.
_ZIP_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    EOFError,
    ValueError,
    NotImplementedError,
    RuntimeError,
)


class ArchiveError(ValueError):
    """The archive is damaged, not a zip, or holds an unsafe member name."""

    def __init__(self, what: str) -> None:
        super().__init__(what)
        self.what = what


def unsafe_member(info: zipfile.ZipInfo) -> str | None:
    """Why extracting this member could write outside the target folder, or None."""
    name = info.filename
    if "\\" in name or name.startswith("/") or re.match(r"^[A-Za-z]:", name):
        return f"member {name!r} has an absolute or Windows path"
    parts = name.rstrip("/").split("/")
    if any(part in ("..", "") for part in parts) or "\x00" in name:
        return f"member {name!r} escapes the package folder"
    if stat.S_ISLNK(info.external_attr >> 16):
        return f"member {name!r} is a symbolic link"
    return None


class SafeZip:
    """A zip opened with caps on member count, member size and total unpacked size.

    >>> with SafeZip(path) as zf:                       # doctest: +SKIP
    ...     xml = zf.read("word/document.xml")

    ``member_bytes`` bounds each member read; ``total_bytes`` bounds everything
    read or extracted through this object (checked from the directory first).
    """

    def __init__(
        self,
        path: Path,
        *,
        members: Limit = ZIP_MEMBERS,
        member_bytes: Limit = ZIP_MEMBER_BYTES,
        total_bytes: Limit = ZIP_TOTAL_BYTES,
    ) -> None:
        self.path = Path(path)
        self._member_limit = member_bytes
        self._total_limit = total_bytes
        self._read_so_far = 0
        try:
            self._zf = zipfile.ZipFile(self.path)
        except _ZIP_ERRORS as exc:
            raise ArchiveError(f"not a valid zip archive ({exc or type(exc).__name__})") from None
        try:
            self._infos = self._zf.infolist()
            if len(self._infos) > members.value:
                raise LimitExceeded(members, f"the archive ({len(self._infos):,} files)")
            seen: set[str] = set()
            for info in self._infos:
                if info.filename in seen:
                    raise ArchiveError(f"member {info.filename!r} appears twice")
                seen.add(info.filename)
            self._by_name = {info.filename: info for info in self._infos}
        except BaseException:
            self._zf.close()
            raise

    def __enter__(self) -> SafeZip:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        self._zf.close()

    def infolist(self) -> list[zipfile.ZipInfo]:
        return list(self._infos)

    def names(self) -> list[str]:
        return [info.filename for info in self._infos]

    def has(self, name: str) -> bool:
        return name in self._by_name

    def declared_total(self) -> int:
        """Sum of the unpacked sizes the directory declares (before any decompression)."""
        return sum(info.file_size for info in self._infos)

    def _reserve(self, info: zipfile.ZipInfo, size: int) -> None:
        if size > self._member_limit.value:
            raise LimitExceeded(self._member_limit, f"{info.filename} ({human_size(size)} unpacked)")
        if self._read_so_far + size > self._total_limit.value:
            total = human_size(self._read_so_far + size)
            raise LimitExceeded(self._total_limit, f"the archive's unpacked parts ({total})")

    def _chunks(self, info: zipfile.ZipInfo) -> Iterator[bytes]:
        """Stream one member, counting the bytes really produced (the directory may lie)."""
        self._reserve(info, info.file_size)
        produced = 0
        try:
            with self._zf.open(info) as src:
                while True:
                    chunk = src.read(_CHUNK)
                    if not chunk:
                        break
                    produced += len(chunk)
                    self._reserve(info, produced)
                    yield chunk
        except _ZIP_ERRORS as exc:
            raise ArchiveError(f"damaged member {info.filename!r}: {exc or type(exc).__name__}") from None
        finally:
            self._read_so_far += produced

    def read(self, name: str) -> bytes:
        """One member's bytes (KeyError when absent)."""
        info = self._by_name[name]
        return b"".join(self._chunks(info))

    def read_optional(self, name: str) -> bytes | None:
        return self.read(name) if name in self._by_name else None

    def check_names(self) -> list[str]:
        """Every unsafe member name (absolute, ``..``, symlink), for a caller to refuse."""
        return [why for info in self._infos if (why := unsafe_member(info)) is not None]

    def extract_all(self, dest: Path) -> None:
        """Extract regular files and folders under ``dest`` (refusing unsafe names first).

        No permission bits or timestamps are taken from the archive; sizes are
        checked from the directory for the whole archive before the first byte
        is written, then again while streaming.
        """
        problems = self.check_names()
        if problems:
            raise ArchiveError(problems[0])
        total = self.declared_total()
        if self._read_so_far + total > self._total_limit.value:
            raise LimitExceeded(self._total_limit, f"the archive ({human_size(total)} unpacked)")
        for info in self._infos:
            if info.file_size > self._member_limit.value:
                self._reserve(info, info.file_size)
        dest.mkdir(parents=True, exist_ok=True)
        for info in self._infos:
            target = dest.joinpath(*PurePosixPath(info.filename).parts)
            if info.is_dir():
                target.mkdir(parents=True, exist_ok=True)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            with open(target, "wb") as out:
                for chunk in self._chunks(info):
                    out.write(chunk)


def free_bytes(folder: Path) -> int | None:
    """Free space for an unprivileged writer in ``folder`` (None when unknown)."""
    try:
        return shutil.disk_usage(folder).free
    except OSError:
        return None
