"""Argos model packages: find, validate, install (atomically), download, remove.

Re-implemented instead of calling ``argostranslate.package``: importing it creates
directories as a side effect, its install extracts unvalidated zips straight
into the packages dir, and its index functions have no timeouts. The on-disk
layout is argos's own (same packages dir, one folder per package holding
``metadata.json``), so ``argospm``-installed packages are found and ours are
visible to argos.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import socket
import stat
import tempfile
import time
import urllib.error
import urllib.request
import uuid
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from toolkit.core.errors import ModelError, Problem

__all__ = [
    "DEFAULT_INDEX",
    "InstalledPackage",
    "find_package",
    "install_file",
    "install_from_index",
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
_CHUNK = 64 * 1024


def _err(what: str, fix: str = "", file: str = "") -> ModelError:
    # file="" until Problem grows a file-less mode: messages must start with `what`.
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
        data = json.loads((config / "argos-translate" / "settings.json").read_text("utf-8"))
    except (OSError, ValueError):
        return None
    found = data.get(key) if isinstance(data, dict) else None
    return str(found) if found is not None else None


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
            with contextlib.suppress(OSError):
                digest.update(rel.encode() + b"\0" + (self.path / rel).read_bytes())
        for rel in ("model/model.bin", "sentencepiece.model", "bpe.model"):
            with contextlib.suppress(OSError):
                digest.update(f"{rel}:{(self.path / rel).stat().st_size}".encode())
        return f"{self.name}@{self.package_version}#{digest.hexdigest()[:12]}"


def _version_key(version: str) -> tuple[tuple[int, str], ...]:
    return tuple((int(p), "") if p.isdigit() else (-1, p) for p in re.split(r"[.\-_]", version))


def _read_installed(folder: Path) -> InstalledPackage | None:
    try:
        meta = json.loads((folder / "metadata.json").read_text("utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(meta, dict) or meta.get("type", "translate") != "translate":
        return None
    src, dst = meta.get("from_code"), meta.get("to_code")
    if not isinstance(src, str) or not isinstance(dst, str):
        return None
    return InstalledPackage(
        from_code=src,
        to_code=dst,
        package_version=str(meta.get("package_version", "")),
        name=folder.name,
        path=folder,
    )


def list_installed() -> list[InstalledPackage]:
    """Installed translation packages, sorted by pair, then newest version first."""
    root = packages_dir()
    if not root.is_dir():
        return []
    found = [
        pkg
        for folder in root.iterdir()
        if folder.is_dir() and not folder.name.startswith(".")
        if (pkg := _read_installed(folder)) is not None
    ]
    return sorted(
        found,
        key=lambda p: (p.from_code, p.to_code, _neg(_version_key(p.package_version)), p.name),
    )


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
    for pkg in list_installed():
        if pkg.from_code == from_code and pkg.to_code == to_code:
            return pkg
    raise missing_model_error(from_code, to_code)


# --------------------------------------------------------------------------- validation


def _member_problems(info: zipfile.ZipInfo) -> str | None:
    name = info.filename
    if "\\" in name or name.startswith("/") or re.match(r"^[A-Za-z]:", name):
        return f"member {name!r} has an absolute or Windows path"
    if any(part in ("..", "") for part in PurePosixPath(name.rstrip("/")).parts) or ".." in (name.split("/")):
        return f"member {name!r} escapes the package folder"
    if stat.S_ISLNK(info.external_attr >> 16):
        return f"member {name!r} is a symbolic link"
    return None


def _validate(path: Path) -> tuple[dict[str, Any], str]:
    """Check a .argosmodel without extracting it; return (metadata, top-level folder)."""
    where = str(path)
    fix_download = "download the .argosmodel file again (it is damaged or not a model package)"
    if not path.is_file():
        raise _err(f"{path} does not exist or is not a file", "check the path", file=where)
    if not zipfile.is_zipfile(path):
        raise _err("not a zip archive, so not an argos model package", fix_download, file=where)
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            bad = zf.testzip()
            if bad is not None:
                raise _err(f"corrupt archive (bad CRC in {bad!r})", fix_download, file=where)
            problems = [p for info in infos if (p := _member_problems(info)) is not None]
            if problems:
                raise ModelError(
                    [Problem(where, None, what, "refusing to install an unsafe archive") for what in problems]
                )
            names = [i.filename for i in infos]
            tops = sorted({n.split("/", 1)[0] for n in names})
            if len(tops) != 1 or not any("/" in n for n in names):
                listing = ", ".join(tops[:5]) + (" …" if len(tops) > 5 else "")
                raise _err(
                    f"a package must hold exactly one top-level folder, found: {listing}",
                    fix_download,
                    file=where,
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
                    f"not an argos model package: missing {', '.join(missing)} in {top}/",
                    fix_download,
                    file=where,
                )
            raw = zf.read(f"{top}/metadata.json")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError) as exc:
        raise _err(f"corrupt archive ({exc})", fix_download, file=where) from exc
    try:
        meta = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise _err(f"{top}/metadata.json is not valid JSON ({exc})", fix_download, file=where) from exc
    if not isinstance(meta, dict):
        raise _err(f"{top}/metadata.json must hold a JSON object", fix_download, file=where)
    bad_fields = [
        key
        for key in ("from_code", "to_code")
        if not isinstance(meta.get(key), str) or not _CODE_RE.match(meta[key])
    ]
    if bad_fields:
        raise _err(
            f"{top}/metadata.json lacks a valid {' and '.join(bad_fields)}",
            "use a package built for argos-translate (it names its languages)",
            file=where,
        )
    return meta, top


def validate_package_file(path: Path | str) -> dict[str, Any]:
    """Validate a .argosmodel (zip sanity, safe paths, layout, metadata); return its metadata."""
    return _validate(Path(path))[0]


# --------------------------------------------------------------------------- install


def _staging_parent(root: Path) -> Path:
    """Where to stage: next to the packages dir (argos crashes on stray folders inside it)."""
    parent = root.parent
    try:
        if os.stat(parent).st_dev == os.stat(root).st_dev and os.access(parent, os.W_OK):
            return parent
    except OSError:
        pass
    return root


def _extract(zf: zipfile.ZipFile, dest: Path) -> None:
    """Extract validated members ourselves: regular files and folders only, no modes kept."""
    for info in zf.infolist():
        target = dest.joinpath(*PurePosixPath(info.filename).parts)
        if info.is_dir():
            target.mkdir(parents=True, exist_ok=True)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        with zf.open(info) as src, open(target, "wb") as out:
            shutil.copyfileobj(src, out, _CHUNK)


def install_file(path: Path | str) -> InstalledPackage:
    """Validate, then install a .argosmodel atomically, replacing any package for the same pair.

    On any failure the packages dir is left exactly as it was.
    """
    path = Path(path)
    meta, top = _validate(path)
    root = packages_dir()
    root.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".presspack-staging-", dir=_staging_parent(root)))
    try:
        try:
            with zipfile.ZipFile(path) as zf:
                _extract(zf, staging / "new")
        except (OSError, zipfile.BadZipFile) as exc:
            raise _err(f"cannot extract {path}: {exc}", "check free disk space") from exc
        new_folder = staging / "new" / top
        final = root / top
        olds = [
            p for p in list_installed() if p.from_code == meta["from_code"] and p.to_code == meta["to_code"]
        ]
        if final.exists() and final not in {p.path for p in olds}:
            raise _err(
                f"{final} already exists and is not a {meta['from_code']}→{meta['to_code']} package",
                "remove or rename that folder, then install again",
            )
        moved: list[tuple[Path, Path]] = []
        try:
            for i, old in enumerate(olds):
                trash = staging / f"old-{i}"
                old.path.rename(trash)
                moved.append((trash, old.path))
            new_folder.rename(final)
        except OSError as exc:
            for trash, original in reversed(moved):
                trash.rename(original)
            raise _err(f"cannot install into {root}: {exc}", "check permissions") from exc
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    installed = _read_installed(final)
    assert installed is not None  # validated above
    return installed


def remove(from_code: str, to_code: str) -> InstalledPackage:
    """Uninstall every package for the pair; return the newest one removed."""
    matching = [p for p in list_installed() if (p.from_code, p.to_code) == (from_code, to_code)]
    if not matching:
        raise missing_model_error(from_code, to_code)
    root = packages_dir()
    staging = Path(tempfile.mkdtemp(prefix=".presspack-remove-", dir=_staging_parent(root)))
    try:
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


def _response_socket(resp: Any) -> socket.socket | None:
    # http.client keeps the socket at resp.fp.raw._sock; used only to shrink its timeout.
    sock = getattr(getattr(getattr(resp, "fp", None), "raw", None), "_sock", None)
    return sock if isinstance(sock, socket.socket) else None


def _stream(url: str, deadline: _Deadline, progress: Progress | None) -> Iterator[bytes]:
    """Yield the body of ``url`` in chunks; every socket wait is bounded by the deadline."""
    request = urllib.request.Request(url, headers={"User-Agent": "presspack"})
    with urllib.request.urlopen(request, timeout=deadline.left()) as resp:
        length = resp.headers.get("Content-Length")
        total = int(length) if length and length.isdigit() else None
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
            if progress is not None:
                progress(done, total)
            yield chunk
        if total is not None and done != total:
            raise OSError(f"connection closed after {done} of {total} bytes")


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
    if not isinstance(index, list):
        return None
    candidates = [
        entry
        for entry in index
        if isinstance(entry, dict)
        and entry.get("type", "translate") == "translate"
        and entry.get("from_code") == from_code
        and entry.get("to_code") == to_code
        and isinstance(entry.get("links"), list)
        and entry["links"]
    ]
    if not candidates:
        return None
    return max(candidates, key=lambda e: _version_key(str(e.get("package_version", ""))))


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
    try:
        raw = b"".join(_stream(url, _Deadline(timeout), None))
    except _NET_ERRORS as exc:
        raise _err(
            f"cannot reach the package index at {url} ({_reason(exc)}); check the network or {_OFFLINE_HINT}"
        ) from exc
    try:
        index = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise _err(
            f"the package index at {url} is not valid JSON ({exc})",
            f"check ARGOS_PACKAGE_INDEX or {_OFFLINE_HINT}",
        ) from exc
    entry = _pick(index, from_code, to_code)
    if entry is None:
        raise _err(
            f"the package index at {url} offers no {from_code}→{to_code} package",
            f"check the language codes or {_OFFLINE_HINT}",
        )
    failures: list[str] = []
    with tempfile.TemporaryDirectory(prefix="presspack-download-") as tmp:
        target = Path(tmp) / f"{uuid.uuid4().hex}.argosmodel"
        for link in entry["links"]:
            if not isinstance(link, str):
                continue
            try:
                with open(target, "wb") as out:
                    for chunk in _stream(link, _Deadline(timeout), progress):
                        out.write(chunk)
            except _NET_ERRORS as exc:
                failures.append(f"{link} ({_reason(exc)})")
                continue
            return install_file(target)
    raise _err(
        f"cannot download the {from_code}→{to_code} package from "
        f"{'; '.join(failures) or 'the index (no usable link)'}; check the network "
        f"or {_OFFLINE_HINT}"
    )
