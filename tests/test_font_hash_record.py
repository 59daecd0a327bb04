"""The source fonts' hashes are recorded by stat stamp: never trusted for changed bytes."""

from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path

import pytest

from toolkit.render import fonts


def test_a_font_rewritten_in_place_is_hashed_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PRESSPACK_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(fonts, "RACY_WINDOW_NS", 0)  # the file is seconds old, not years
    font = tmp_path / "Font.ttf"
    font.write_bytes(b"A" * 4096)
    first = fonts.source_sha256(font)
    assert first == hashlib.sha256(b"A" * 4096).hexdigest()
    assert list((tmp_path / "cache" / "font-hashes").glob("*.sha256"))  # recorded
    fonts._file_sha256.cache_clear()
    assert fonts.source_sha256(font) == first  # read back from the record

    # same size, same modification time: only the ctime (and the bytes) tell
    st = font.stat()
    time.sleep(0.05)  # past the file system's clock tick
    font.write_bytes(b"B" * 4096)
    os.utime(font, ns=(st.st_atime_ns, st.st_mtime_ns))
    fonts._file_sha256.cache_clear()
    assert fonts.source_sha256(font) == hashlib.sha256(b"B" * 4096).hexdigest()


def test_a_file_changed_just_now_is_not_recorded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PRESSPACK_CACHE_DIR", str(tmp_path / "cache"))
    font = tmp_path / "Font.ttf"
    font.write_bytes(b"D" * 100)
    assert fonts.source_sha256(font) == hashlib.sha256(b"D" * 100).hexdigest()
    assert not list((tmp_path / "cache").rglob("*.sha256"))


def test_a_damaged_record_is_ignored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PRESSPACK_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(fonts, "RACY_WINDOW_NS", 0)
    font = tmp_path / "Font.ttf"
    font.write_bytes(b"C" * 100)
    fonts.source_sha256(font)
    (record,) = (tmp_path / "cache" / "font-hashes").glob("*.sha256")
    stamp = record.read_text("ascii").split()[0]
    record.write_text(f"{stamp} {'0' * 63}x\n", "ascii")
    fonts._file_sha256.cache_clear()
    assert fonts.source_sha256(font) == hashlib.sha256(b"C" * 100).hexdigest()
