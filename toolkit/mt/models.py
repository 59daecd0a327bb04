"""Argos model packages: find, validate, install (as one transaction), download, remove.

Re-implemented instead of calling ``argostranslate.package``: importing it creates
directories as a side effect, its install extracts unvalidated zips straight
into the packages dir, and its index functions have no timeouts. The on-disk
layout is argos's own (same packages dir, one folder per package holding
``metadata.json``), so ``argospm``-installed packages are found and ours are
visible to argos.

Installing is a transaction: everything is validated from the zip directory
and metadata first (type, language codes, version, folder name, sizes, free
space), the package is unpacked into a staging folder beside the packages
dir (CRCs checked while streaming), and only then swapped in with renames
(an atomic exchange where the kernel offers one), with Ctrl-C held back for
the swap. On any failure the packages dir is exactly what it was.

A package folder that is broken (unreadable metadata, a version no one can
compare, missing model files) is listed as broken and never used; it never
hides the working packages or crashes a listing.

The index is trusted only as far as needed: it must be an ``http(s)://`` URL,
its links must be ``https://`` (or ``http://`` when the index itself is),
redirects may not change that, and index and package sizes are capped.
"""

from __future__ import annotations

import contextlib
import ctypes
import hashlib
import os
import re
import shutil
import socket
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http.client import HTTPMessage
from pathlib import Path
from typing import IO, Any
from urllib.parse import urljoin, urlsplit

from toolkit.core.errors import ModelError, Problem
from toolkit.core.interrupts import deferred_interrupts
from toolkit.core.limits import (
    INDEX_BYTES,
    METADATA_BYTES,
    PACKAGE_BYTES,
    PACKAGE_MEMBERS,
    PACKAGE_UNPACKED_BYTES,
    VERSION_CHARS,
    Limit,
    LimitExceeded,
    human_size,
    loads_json,
    read_bounded,
)
from toolkit.core.safezip import ArchiveError, SafeZip, free_bytes

__all__ = [
    "DEFAULT_INDEX",
    "BrokenPackage",
    "InstalledPackage",
    "find_package",
    "install_file",
    "install_from_index",
    "list_broken",
    "list_installed",
    "missing_model_error",
    "packages_dir",
    "remove",
    "resolve_index_url",
    "validate_package_file",
]

DEFAULT_INDEX = "https://raw.githubusercontent.com/argosopentech/argospm-index/main/"
_OFFLINE_HINT = "install offline with 'presspack models install FILE.argosmodel'"
_CODE_RE = re.compile(r"^[A-Za-z]{2,3}([_-][A-Za-z0-9]{1,8})*$")
# "1.1", "1.0.2", "2.0-beta1", "1_9": short, dotted, comparable.
_VERSION_RE = re.compile(r"^[0-9A-Za-z]{1,12}(?:[._+\-][0-9A-Za-z]{1,12}){0,5}$")
# A folder name argos and every file system accept, not hidden (we ignore dot folders).
_FOLDER_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._\-]{0,99}$")
_CHUNK = 64 * 1024
_SPACE_RESERVE = 64 * 1024 * 1024  # never unpack into the last 64 MiB of a disk
_FIX_DOWNLOAD = "download the .argosmodel file again (it is damaged or not a model package)"
_FIX_PACKAGE = "use a translate-*.argosmodel package built for argos-translate"


def _err(what: str, fix: str = "", file: str = "") -> ModelError:
    return ModelError(Problem(file=file, line=None, what=what, fix=fix))


# --------------------------------------------------------------------------- settings


def _home() -> Path:
    if "SNAP" in os.environ and "SNAP_USER_DATA" in os.environ:
        return Path(os.environ["SNAP_USER_DATA"])
    return Path.home()


def _argos_setting(key: str) -> str | None:
    """An argos setting: environment first, then argos's settings.json (as argos does)."""
    value = os.environ.get(key)
    if value is not None:
        return value
    config = Path(os.environ.get("XDG_CONFIG_HOME") or _home() / ".config")
    try:
        raw = read_bounded(config / "argos-translate" / "settings.json", METADATA_BYTES)
        data = loads_json(raw, subject="settings.json")
    except (OSError, ValueError):
        return None
    found = data.get(key) if isinstance(data, dict) else None
    return str(found) if isinstance(found, str | int | float) else None


def packages_dir() -> Path:
    """The argos packages dir, re-read on every call so tests can point it elsewhere."""
    configured = _argos_setting("ARGOS_PACKAGES_DIR")
    if configured:
        return Path(configured).expanduser()
    data = Path(os.environ.get("XDG_DATA_HOME") or _home() / ".local" / "share")
    return data / "argos-translate" / "packages"


def resolve_index_url(base: str | None = None) -> str:
    """URL of index.json. argos treats ARGOS_PACKAGE_INDEX as a base URL + 'index.json'."""
    base = base or _argos_setting("ARGOS_PACKAGE_INDEX") or DEFAULT_INDEX
    if base.endswith(".json"):
        return base
    return base.rstrip("/") + "/index.json"


# --------------------------------------------------------------------------- metadata rules


def _version_problem(value: object) -> str | None:
    """Why ``value`` is not a usable package_version, or None."""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return f'package_version must be a version string such as "1.1", not {type(value).__name__}'
    text = value if isinstance(value, str) else repr(value)
    if len(text) > VERSION_CHARS.value:
        return VERSION_CHARS.message(f"package_version ({len(text):,} characters)")
    if not _VERSION_RE.match(text):
        return f'package_version {text!r} is not a version such as "1.1"'
    return None


def _version_text(meta: dict[str, Any]) -> str:
    value = meta.get("package_version", "")
    return value if isinstance(value, str) else repr(value)


def _version_key(version: str) -> tuple[tuple[int, str], ...]:
    """Comparable key of a version already checked by :func:`_version_problem` (short parts)."""
    parts = re.split(r"[._+\-]", version[: VERSION_CHARS.default]) if version else []
    return tuple((int(p), "") if p.isdigit() and len(p) <= 12 else (-1, p) for p in parts)


def _metadata_problems(meta: object, where: str) -> tuple[list[str], bool]:
    """(problems, is_translation) for a parsed metadata.json.

    ``is_translation`` is False for other argos package types (``sbd``): those
    are not broken, just not ours.
    """
    if not isinstance(meta, dict):
        return [f"{where} must hold a JSON object"], True
    kind = meta.get("type", "translate")
    if kind != "translate":
        shown = kind if isinstance(kind, str) and len(kind) <= 40 else type(kind).__name__
        if kind == "sbd":
            return [f"{where} says type 'sbd': a sentence-boundary package, not a translation model"], False
        return [f"{where} says type {shown!r}, not 'translate'"], False
    problems = [
        f"{where} lacks a valid {key}"
        for key in ("from_code", "to_code")
        if not isinstance(meta.get(key), str) or not _CODE_RE.match(meta[key])
    ]
    if len(problems) == 2:
        problems = [f"{where} lacks a valid from_code and to_code"]
    if not problems and meta["from_code"] == meta["to_code"]:
        problems.append(f"{where} translates {meta['from_code']} into itself")
    if "package_version" in meta:
        why = _version_problem(meta["package_version"])
        if why is not None:
            problems.append(f"{where}: {why}")
    return problems, True


def _folder_problem(name: str) -> str | None:
    if not _FOLDER_RE.match(name):
        shown = name if len(name) <= 60 else name[:57] + "..."
        return f"package folder name {shown!r} is not a plain name (letters, digits, '.', '_', '-')"
    return None


# --------------------------------------------------------------------------- installed


@dataclass(frozen=True)
class InstalledPackage:
    """One installed translation package (a folder in :func:`packages_dir`)."""

    from_code: str
    to_code: str
    package_version: str
    name: str
    path: Path

    @property
    def model_id(self) -> str:
        """Stable cache key: changes when the package is replaced by a different build."""
        digest = hashlib.sha256()
        for rel in ("metadata.json", "model/config.json"):
            with contextlib.suppress(OSError, ValueError):
                digest.update(rel.encode() + b"\0" + read_bounded(self.path / rel, METADATA_BYTES))
        for rel in ("model/model.bin", "sentencepiece.model", "bpe.model"):
            with contextlib.suppress(OSError):
                digest.update(f"{rel}:{(self.path / rel).stat().st_size}".encode())
        return f"{self.name}@{self.package_version}#{digest.hexdigest()[:12]}"


@dataclass(frozen=True)
class BrokenPackage:
    """A folder in the packages dir that presspack cannot use, and why."""

    name: str
    path: Path
    reason: str
    other_type: bool = False  # a valid argos package of another type (sbd): not broken, not ours


def _inspect(folder: Path) -> InstalledPackage | BrokenPackage:
    """Read one package folder; never raises for anything inside it."""
    name = folder.name
    meta_path = folder / "metadata.json"
    try:
        meta = loads_json(read_bounded(meta_path, METADATA_BYTES), subject="metadata.json")
    except FileNotFoundError:
        return BrokenPackage(name, folder, "no metadata.json")
    except LimitExceeded as exc:
        return BrokenPackage(name, folder, exc.what)
    except (OSError, ValueError) as exc:  # UnicodeDecodeError is a ValueError
        return BrokenPackage(name, folder, f"metadata.json is unreadable ({_short(exc)})")
    problems, translation = _metadata_problems(meta, "metadata.json")
    if problems:
        return BrokenPackage(name, folder, "; ".join(problems), other_type=not translation)
    missing = [rel for rel in ("model/model.bin",) if not (folder / rel).is_file()]
    if not any((folder / rel).is_file() for rel in ("sentencepiece.model", "bpe.model")):
        missing.append("sentencepiece.model")
    if missing:
        return BrokenPackage(name, folder, f"missing {', '.join(missing)}")
    return InstalledPackage(
        from_code=meta["from_code"],
        to_code=meta["to_code"],
        package_version=_version_text(meta),
        name=name,
        path=folder,
    )


def _short(exc: BaseException) -> str:
    text = str(exc) or type(exc).__name__
    return text if len(text) <= 200 else text[:197] + "..."


def _scan() -> list[InstalledPackage | BrokenPackage]:
    root = packages_dir()
    try:
        folders = sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))
    except OSError:
        return []
    return [_inspect(folder) for folder in folders]


def list_installed() -> list[InstalledPackage]:
    """Usable translation packages, sorted by pair, then newest version first."""
    found = [p for p in _scan() if isinstance(p, InstalledPackage)]
    return sorted(
        found,
        key=lambda p: (p.from_code, p.to_code, _neg(_version_key(p.package_version)), p.name),
    )


def list_broken() -> list[BrokenPackage]:
    """Folders in the packages dir that are not usable translation packages, by name."""
    return [p for p in _scan() if isinstance(p, BrokenPackage)]


def _neg(key: tuple[tuple[int, str], ...]) -> tuple[tuple[int, str], ...]:
    # newest first inside a pair; strings compare after ints, good enough for "1.9" vs "1.10"
    return tuple((-n, s) for n, s in key)


def missing_model_error(from_code: str, to_code: str) -> ModelError:
    return _err(
        f"no {from_code}→{to_code} model installed; run 'presspack models install "
        f"{from_code} {to_code}' (online) or 'presspack models install FILE.argosmodel'"
    )


def find_package(from_code: str, to_code: str) -> InstalledPackage:
    """The newest installed package for the pair, or ModelError saying how to install one."""
    scanned = _scan()
    usable = sorted(
        (p for p in scanned if isinstance(p, InstalledPackage)),
        key=lambda p: (_neg(_version_key(p.package_version)), p.name),
    )
    for pkg in usable:
        if pkg.from_code == from_code and pkg.to_code == to_code:
            return pkg
    error = missing_model_error(from_code, to_code)
    broken = [p for p in scanned if isinstance(p, BrokenPackage) and not p.other_type]
    if broken:
        names = ", ".join(p.name for p in broken[:3]) + (" …" if len(broken) > 3 else "")
        first = error.problems[0]
        error = _err(f"{first.what} ({len(broken)} broken package folder(s) ignored: {names})", first.fix)
    raise error


# --------------------------------------------------------------------------- validation


def _open_package(path: Path) -> SafeZip:
    where = str(path)
    if not path.is_file():
        raise _err(f"{path} does not exist or is not a file", "check the path", file=where)
    try:
        return SafeZip(
            path,
            members=PACKAGE_MEMBERS,
            member_bytes=PACKAGE_UNPACKED_BYTES,
            total_bytes=PACKAGE_UNPACKED_BYTES,
        )
    except ArchiveError:
        raise _err("not a zip archive, so not an argos model package", _FIX_DOWNLOAD, file=where) from None
    except LimitExceeded as exc:
        raise _err(exc.what, _FIX_DOWNLOAD, file=where) from None
    except OSError as exc:
        raise _err(f"cannot read the package ({exc.strerror or exc})", "check the path", file=where) from None


def _validate(zf: SafeZip, path: Path) -> tuple[dict[str, Any], str]:
    """Everything that can be checked without unpacking; return (metadata, top folder).

    All problems found are reported together.
    """
    where = str(path)
    unsafe = zf.check_names()
    if unsafe:
        raise ModelError(
            [Problem(where, None, what, "refusing to install an unsafe archive") for what in unsafe]
        )
    names = zf.names()
    tops = sorted({n.split("/", 1)[0] for n in names})
    if len(tops) != 1 or not any("/" in n for n in names):
        listing = ", ".join(tops[:5]) + (" …" if len(tops) > 5 else "")
        raise _err(
            f"a package must hold exactly one top-level folder, found: {listing}", _FIX_DOWNLOAD, file=where
        )
    top = tops[0]
    present = {n.rstrip("/") for n in names}
    missing = []
    if f"{top}/metadata.json" not in present:
        missing.append("metadata.json")
    if f"{top}/model/model.bin" not in present:
        missing.append("model/model.bin")
    if not {f"{top}/sentencepiece.model", f"{top}/bpe.model"} & present:
        missing.append("sentencepiece.model (or bpe.model)")
    if missing:
        raise _err(
            f"not an argos model package: missing {', '.join(missing)} in {top}/", _FIX_DOWNLOAD, file=where
        )
    problems: list[Problem] = []
    folder_why = _folder_problem(top)
    if folder_why:
        problems.append(Problem(where, None, folder_why, _FIX_PACKAGE))
    total = zf.declared_total()
    if total > PACKAGE_UNPACKED_BYTES.value:
        problems.append(
            Problem(
                where,
                None,
                PACKAGE_UNPACKED_BYTES.message(f"the package ({human_size(total)} unpacked)"),
                _FIX_DOWNLOAD,
            )
        )
    meta_name = f"{top}/metadata.json"
    try:
        info = next(i for i in zf.infolist() if i.filename == meta_name)
        if info.file_size > METADATA_BYTES.value:
            raise LimitExceeded(METADATA_BYTES, f"{meta_name} ({human_size(info.file_size)})")
        meta = loads_json(zf.read(meta_name), subject=meta_name)
    except LimitExceeded as exc:
        raise ModelError([*problems, Problem(where, None, exc.what, _FIX_PACKAGE)]) from None
    except ArchiveError as exc:
        raise _err(f"corrupt archive ({exc.what})", _FIX_DOWNLOAD, file=where) from None
    except ValueError as exc:
        raise ModelError(
            [*problems, Problem(where, None, f"{meta_name} is not valid JSON ({_short(exc)})", _FIX_DOWNLOAD)]
        ) from None
    meta_problems, translation = _metadata_problems(meta, meta_name)
    fix = "install a translate-*.argosmodel package (presspack only uses translation models)"
    problems += [Problem(where, None, what, _FIX_PACKAGE if translation else fix) for what in meta_problems]
    if problems:
        raise ModelError(problems)
    assert isinstance(meta, dict)
    return meta, top


def validate_package_file(path: Path | str) -> dict[str, Any]:
    """Validate a .argosmodel (zip sanity, safe paths, layout, metadata, CRCs); return its metadata."""
    path = Path(path)
    with _open_package(path) as zf:
        meta, _ = _validate(zf, path)
        try:
            for info in zf.infolist():
                if not info.is_dir():
                    zf.read(info.filename)
        except ArchiveError as exc:
            raise _err(f"corrupt archive ({exc.what})", _FIX_DOWNLOAD, file=str(path)) from None
    return meta


# --------------------------------------------------------------------------- install


def _staging_parent(root: Path) -> Path:
    """Where to stage: next to the packages dir (argos crashes on stray folders inside it)."""
    parent = root.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        same = not root.exists() or os.stat(parent).st_dev == os.stat(root).st_dev
        if same and os.access(parent, os.W_OK):
            return parent
    except OSError:
        pass
    root.mkdir(parents=True, exist_ok=True)
    return root


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths (Linux renameat2 RENAME_EXCHANGE); False where unsupported."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    result = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange)
    return bool(result == 0)


def _swap_in(staged: Path, final: Path, olds: list[InstalledPackage], trash: Path) -> None:
    """Put ``staged`` at ``final`` and retire ``olds``; the working model is never absent.

    A new folder name is renamed in before the old versions leave; the same
    folder name is exchanged atomically (or, without kernel support, renamed
    away and back on failure).
    """
    same = [old for old in olds if old.path == final]
    if same:
        if not _exchange(staged, final):
            aside = trash / "replaced"
            final.rename(aside)
            try:
                staged.rename(final)
            except OSError:
                aside.rename(final)
                raise
    else:
        staged.rename(final)
    for i, old in enumerate(o for o in olds if o.path != final):
        with contextlib.suppress(OSError):  # still installed, just older: harmless
            old.path.rename(trash / f"old-{i}")


def install_file(path: Path | str) -> InstalledPackage:
    """Validate, then install a .argosmodel as one transaction, replacing the pair's package.

    On any failure (bad package, full disk, Ctrl-C) the packages dir is left
    exactly as it was.
    """
    path = Path(path)
    where = str(path)
    root = packages_dir()
    with _open_package(path) as zf:
        meta, top = _validate(zf, path)
        final = root / top
        olds = [
            p for p in list_installed() if p.from_code == meta["from_code"] and p.to_code == meta["to_code"]
        ]
        if final.exists() and final not in {p.path for p in olds}:
            raise _err(
                f"{final} already exists and is not a working {meta['from_code']}→{meta['to_code']} package",
                "remove or rename that folder, then install again",
                file=where,
            )
        try:
            parent = _staging_parent(root)
        except OSError as exc:
            raise _err(f"cannot create {root} ({exc.strerror or exc})", "check permissions") from None
        needed = zf.declared_total()
        free = free_bytes(parent)
        if free is not None and free < needed + _SPACE_RESERVE:
            raise _err(
                f"not enough free disk space in {parent}: the package unpacks to {human_size(needed)}, "
                f"{human_size(free)} is free",
                "free some disk space (or set ARGOS_PACKAGES_DIR to a larger disk), then install again",
                file=where,
            )
        staging = Path(tempfile.mkdtemp(prefix=".presspack-staging-", dir=parent))
        try:
            try:
                zf.extract_all(staging / "new")
            except ArchiveError as exc:
                raise _err(f"corrupt archive ({exc.what})", _FIX_DOWNLOAD, file=where) from None
            except LimitExceeded as exc:
                raise _err(exc.what, _FIX_DOWNLOAD, file=where) from None
            except OSError as exc:
                raise _err(
                    f"cannot unpack into {staging} ({exc.strerror or exc})",
                    "check free disk space and permissions; nothing was installed",
                    file=where,
                ) from None
            staged = staging / "new" / top
            checked = _inspect(staged)
            if not isinstance(checked, InstalledPackage):  # pragma: no cover - validated above
                raise _err(checked.reason, _FIX_PACKAGE, file=where)
            try:
                with deferred_interrupts():
                    root.mkdir(parents=True, exist_ok=True)
                    _swap_in(staged, final, olds, staging)
            except OSError as exc:
                raise _err(
                    f"cannot install into {root} ({exc.strerror or exc})", "check permissions"
                ) from None
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    installed = _inspect(final)
    if not isinstance(installed, InstalledPackage):  # pragma: no cover - someone raced us
        raise _err(f"{final} changed during installation ({installed.reason})", "install again")
    return installed


def remove(from_code: str, to_code: str) -> InstalledPackage:
    """Uninstall every package for the pair; return the newest one removed."""
    matching = [p for p in list_installed() if (p.from_code, p.to_code) == (from_code, to_code)]
    if not matching:
        raise missing_model_error(from_code, to_code)
    root = packages_dir()
    staging = Path(tempfile.mkdtemp(prefix=".presspack-remove-", dir=_staging_parent(root)))
    try:
        with deferred_interrupts():
            for i, pkg in enumerate(matching):
                pkg.path.rename(staging / str(i))  # atomic disappearance, then slow delete
    except OSError as exc:
        raise _err(f"cannot remove {from_code}→{to_code}: {exc}", "check permissions") from exc
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return matching[0]


# --------------------------------------------------------------------------- download

Progress = Callable[[int, int | None], None]


class _Deadline:
    def __init__(self, seconds: float) -> None:
        self.end = time.monotonic() + seconds

    def left(self) -> float:
        remaining = self.end - time.monotonic()
        if remaining <= 0:
            raise TimeoutError("timed out")
        return remaining


class _Refused(OSError):
    """A URL presspack will not fetch (scheme, redirect, size)."""


def _allowed_schemes(index_url: str) -> frozenset[str]:
    """Links may use https, or http as well when the index itself came over http."""
    return (
        frozenset({"https", "http"}) if urlsplit(index_url).scheme.lower() == "http" else frozenset({"https"})
    )


def _scheme_names(allowed: frozenset[str]) -> str:
    return " or ".join(f"{s}://" for s in sorted(allowed, reverse=True))


def _url_problem(url: str, allowed: frozenset[str]) -> str | None:
    parts = urlsplit(url)
    shown = url if len(url) <= 120 else url[:117] + "..."
    if parts.scheme.lower() not in allowed or not parts.netloc:
        return f"{shown} is not an absolute {_scheme_names(allowed)} URL"
    return None


class _RedirectPolicy(urllib.request.HTTPRedirectHandler):
    """Follow redirects only to the allowed schemes (no file://, ftp://, data:, no downgrade)."""

    def __init__(self, allowed: frozenset[str]) -> None:
        super().__init__()
        self.allowed = allowed

    def http_error_302(
        self, req: urllib.request.Request, fp: IO[bytes], code: int, msg: str, headers: HTTPMessage
    ) -> Any:
        target = headers.get("location") or headers.get("uri")
        if target:
            why = _url_problem(urljoin(req.full_url, target), self.allowed)
            if why is not None:
                raise _Refused(f"redirected to {why}")
        return super().http_error_302(req, fp, code, msg, headers)

    http_error_301 = http_error_303 = http_error_307 = http_error_308 = http_error_302


def _opener(allowed: frozenset[str]) -> urllib.request.OpenerDirector:
    """http(s) only: no file://, ftp:// or data: handlers at all."""
    opener = urllib.request.OpenerDirector()
    for handler in (
        urllib.request.ProxyHandler(),
        urllib.request.HTTPHandler(),
        urllib.request.HTTPSHandler(),
        _RedirectPolicy(allowed),
        urllib.request.HTTPDefaultErrorHandler(),
        urllib.request.HTTPErrorProcessor(),
    ):
        opener.add_handler(handler)
    return opener


def _response_socket(resp: Any) -> socket.socket | None:
    # http.client keeps the socket at resp.fp.raw._sock; used only to shrink its timeout.
    sock = getattr(getattr(getattr(resp, "fp", None), "raw", None), "_sock", None)
    return sock if isinstance(sock, socket.socket) else None


def _stream(
    url: str,
    deadline: _Deadline,
    progress: Progress | None,
    *,
    allowed: frozenset[str],
    limit: Limit,
    what: str,
) -> Iterator[bytes]:
    """Yield the body of ``url`` in chunks; every wait bounded by the deadline, size by ``limit``."""
    why = _url_problem(url, allowed)
    if why is not None:
        raise _Refused(why)
    cap = limit.value
    request = urllib.request.Request(url, headers={"User-Agent": "presspack"})
    with _opener(allowed).open(request, timeout=deadline.left()) as resp:
        length = resp.headers.get("Content-Length")
        total = int(length) if length and length.isdigit() and len(length) < 20 else None
        if total is not None and total > cap:
            raise _Refused(limit.message(f"{what} ({human_size(total)})"))
        sock = _response_socket(resp)
        done = 0
        if progress is not None:
            progress(0, total)
        while True:
            if sock is not None:
                sock.settimeout(deadline.left())
            chunk = resp.read1(_CHUNK)
            deadline.left()
            if not chunk:
                break
            done += len(chunk)
            if done > cap:
                raise _Refused(limit.message(f"{what} (more than {human_size(cap)})"))
            if progress is not None:
                progress(done, total)
            yield chunk
        if total is not None and done != total:
            raise OSError(f"connection closed after {done} of {total} bytes")


class _DiskError(OSError):
    """Writing the download failed: a local problem, not the network's."""


def _write_download(out: IO[bytes], chunk: bytes, folder: Path) -> None:
    try:
        out.write(chunk)
        out.flush()  # a full disk shows here, not later in close()
    except OSError as exc:
        raise _DiskError(exc.errno or 0, exc.strerror or str(exc), str(folder)) from exc


def _reason(exc: BaseException) -> str:
    if isinstance(exc, urllib.error.HTTPError):
        return f"HTTP {exc.code} {exc.reason}"
    if isinstance(exc, urllib.error.URLError):
        exc = exc.reason if isinstance(exc.reason, BaseException) else exc
    if isinstance(exc, TimeoutError):
        return "timed out"
    return str(exc) or type(exc).__name__


_NET_ERRORS = (OSError, urllib.error.URLError, ValueError, TimeoutError)


def _pick(index: Any, from_code: str, to_code: str) -> dict[str, Any] | None:
    """The newest well-formed translate entry for the pair; malformed entries are skipped."""
    if not isinstance(index, list):
        return None
    candidates = []
    for entry in index:
        if (
            not isinstance(entry, dict)
            or entry.get("from_code") != from_code
            or entry.get("to_code") != to_code
        ):
            continue
        if entry.get("type", "translate") != "translate":
            continue
        if _version_problem(entry.get("package_version", "0")) is not None:
            continue
        links = entry.get("links")
        if isinstance(links, list) and links:
            candidates.append(entry)
    if not candidates:
        return None
    return max(candidates, key=lambda e: _version_key(_version_text(e)))


def install_from_index(
    from_code: str,
    to_code: str,
    *,
    index_url: str | None = None,
    timeout: float = 30.0,
    progress: Progress | None = None,
) -> InstalledPackage:
    """Download the pair's package named in the argos index and install it.

    ``timeout`` bounds the whole index fetch and, separately, the package download,
    so a dead, unreachable or trickling server fails in bounded time.
    """
    url = resolve_index_url(index_url)
    index_allowed = frozenset({"https", "http"})
    why = _url_problem(url, index_allowed)
    if why is not None:
        raise _err(
            f"the package index must be an http:// or https:// URL: {why}",
            f"set ARGOS_PACKAGE_INDEX to a web address, or {_OFFLINE_HINT}",
        )
    try:
        raw = b"".join(
            _stream(url, _Deadline(timeout), None, allowed=index_allowed, limit=INDEX_BYTES, what="the index")
        )
    except _Refused as exc:
        raise _err(
            f"refusing the package index at {url}: {exc}", f"check ARGOS_PACKAGE_INDEX or {_OFFLINE_HINT}"
        ) from None
    except _NET_ERRORS as exc:
        raise _err(
            f"cannot reach the package index at {url} ({_reason(exc)}); check the network or {_OFFLINE_HINT}"
        ) from exc
    try:
        index = loads_json(raw, subject=f"the package index at {url}")
    except LimitExceeded as exc:
        raise _err(exc.what, f"check ARGOS_PACKAGE_INDEX or {_OFFLINE_HINT}") from None
    except ValueError as exc:  # UnicodeDecodeError included
        raise _err(
            f"the package index at {url} is not valid JSON ({_short(exc)})",
            f"check ARGOS_PACKAGE_INDEX or {_OFFLINE_HINT}",
        ) from None
    entry = _pick(index, from_code, to_code)
    if entry is None:
        raise _err(
            f"the package index at {url} offers no {from_code}→{to_code} package",
            f"check the language codes or {_OFFLINE_HINT}",
        )
    allowed = _allowed_schemes(url)
    failures: list[str] = []
    root = packages_dir()
    try:
        parent = _staging_parent(root)
    except OSError as exc:
        raise _err(f"cannot create {root} ({exc.strerror or exc})", "check permissions") from None
    with tempfile.TemporaryDirectory(prefix=".presspack-download-", dir=parent) as tmp:
        target = Path(tmp) / f"{uuid.uuid4().hex}.argosmodel"
        for link in entry["links"]:
            if not isinstance(link, str):
                continue
            try:
                with open(target, "wb") as out:
                    for chunk in _stream(
                        link,
                        _Deadline(timeout),
                        progress,
                        allowed=allowed,
                        limit=PACKAGE_BYTES,
                        what="the package",
                    ):
                        _write_download(out, chunk, parent)
            except _DiskError as exc:
                raise _err(
                    f"cannot store the download in {parent} ({exc.strerror or exc})",
                    "free some disk space (or set ARGOS_PACKAGES_DIR to a larger disk), then install again",
                ) from None
            except _Refused as exc:
                failures.append(f"refused {exc}")
                continue
            except _NET_ERRORS as exc:
                shown = link if len(link) <= 120 else link[:117] + "..."
                failures.append(f"{shown} ({_reason(exc)})")
                continue
            return install_file(target)
    raise _err(
        f"cannot download the {from_code}→{to_code} package from "
        f"{'; '.join(failures) or 'the index (no usable link)'}; check the network "
        f"or {_OFFLINE_HINT}"
    )
