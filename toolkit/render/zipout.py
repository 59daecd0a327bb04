"""Deterministic zips (fixed timestamps, attributes, order), big members deflated once.

Every DOCX carries the same 800 KB of template styles and the same embedded font
subsets as the document before it; deflating them again costs more than writing the
body. A member of at least :data:`REUSE_BYTES` is deflated once per process and its
compressed bytes reused (looked up by the sha256 of its content), written through
zipfile's own header and central-directory code, so the archive is byte for byte
the one ``ZipFile.writestr`` makes. That equivalence is checked once per process
on a sample; should a Python version write differently, every member is simply
deflated again.
"""

from __future__ import annotations

import functools
import hashlib
import io
import zipfile
import zlib
from collections.abc import Iterable

from toolkit.core.lru import SizedLRU

ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
LEVEL = 6
REUSE_BYTES = 8 * 1024  # smaller members are quicker to deflate than to look up
_CACHE_BYTES = 48 * 1024 * 1024  # compressed bytes kept per process
_deflated: SizedLRU[bytes, bytes] = SizedLRU(len)


def _info(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=ZIP_EPOCH)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.create_system = 3
    info.external_attr = 0o644 << 16
    return info


def _deflate(data: bytes) -> bytes:
    """Raw deflate exactly as zipfile does it: one compress call, then flush."""
    compressor = zlib.compressobj(LEVEL, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush()


def _reused(data: bytes) -> bytes:
    key = hashlib.sha256(data).digest()
    found = _deflated.get(key)
    if found is None:
        found = _deflate(data)
        _deflated.put(key, found, limit=_CACHE_BYTES)
    return found


def _write_deflated(dst: zipfile.ZipFile, info: zipfile.ZipInfo, data: bytes, deflated: bytes) -> None:
    """What ``writestr`` does for a seekable archive, with the deflated bytes given:
    the same header (written once, already with the CRC and sizes it would patch in)
    and the same entry for the central directory."""
    info._compresslevel = LEVEL  # type: ignore[attr-defined]
    info.file_size = len(data)
    info.compress_size = len(deflated)
    info.CRC = zlib.crc32(data)
    info.flag_bits = 0x00
    fp = dst.fp
    assert fp is not None
    fp.seek(dst.start_dir)
    info.header_offset = fp.tell()
    dst._writecheck(info)  # type: ignore[attr-defined]
    dst._didModify = True  # type: ignore[attr-defined]
    fp.write(info.FileHeader(False))
    fp.write(deflated)
    dst.start_dir = fp.tell()
    dst.filelist.append(info)
    dst.NameToInfo[info.filename] = info


def _zip(members: Iterable[tuple[str, bytes]], reuse: bool) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for name, payload in members:
            info = _info(name)
            if reuse and len(payload) >= REUSE_BYTES:
                _write_deflated(dst, info, payload, _reused(payload))
            else:
                dst.writestr(info, payload, compress_type=zipfile.ZIP_DEFLATED, compresslevel=LEVEL)
    return out.getvalue()


@functools.lru_cache(maxsize=1)
def _reuse_works() -> bool:
    """True when a zip written with reused members equals zipfile's own, byte for byte."""
    sample = [
        ("a.xml", b"<a/>" * 3000),
        ("word/b.bin", bytes(range(256)) * 64),
        ("c/\uc6d0.txt", b"x"),
        ("d/\uc6d0\ub7c9.xml", b"<w/>" * 4000),
        ("empty", b""),
    ]
    try:
        return _zip(sample, reuse=True) == _zip(sample, reuse=False)
    except Exception:  # a zipfile whose internals moved: never trust the shortcut
        return False


def zip_members(named: dict[str, bytes], first: Iterable[str] = ()) -> bytes:
    """A zip of ``named``: the names in ``first`` first (in that order), then the rest sorted."""
    order = list(first)
    members = sorted(named.items(), key=lambda m: (order.index(m[0]) if m[0] in order else len(order), m[0]))
    return _zip(members, reuse=_reuse_works())
