"""Named caps (core/limits.py) and the safe zip reader (core/safezip.py)."""

from __future__ import annotations

import json
import struct
import zipfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from toolkit.core.errors import PresspackError
from toolkit.core.limits import (
    ALL_LIMITS,
    JSON_DEPTH,
    SOURCE_BYTES,
    ZIP_MEMBER_BYTES,
    LimitExceeded,
    human_size,
    json_depth_ok,
    loads_json,
    read_bounded,
)
from toolkit.core.safezip import ArchiveError, SafeZip


def test_every_limit_has_a_unique_name_and_env_variable() -> None:
    names = [limit.name for limit in ALL_LIMITS]
    assert len(names) == len(set(names))
    assert all(limit.env == "PRESSPACK_LIMIT_" + limit.name.upper() for limit in ALL_LIMITS)
    assert all(limit.default > 0 and limit.what for limit in ALL_LIMITS)


def test_readme_lists_every_cap_with_its_default() -> None:
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text("utf-8")
    section = readme.split("## Limits", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| `")]
    assert rows == [f"| `{lim.name}` | {lim.show(lim.default)} | {lim.what} |" for lim in ALL_LIMITS]


def test_messages_name_the_cap() -> None:
    assert ZIP_MEMBER_BYTES.message("word/document.xml (4.0 GiB unpacked)") == (
        "word/document.xml (4.0 GiB unpacked) exceeds the 64 MiB limit (zip_member_bytes)"
    )
    assert (
        JSON_DEPTH.message("index.json") == "index.json is nested deeper than the 64-level limit (json_depth)"
    )
    assert human_size(1536) == "1.5 KiB"
    assert human_size(3 * 1024**3) == "3 GiB"


def test_env_override_and_bad_override(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PRESSPACK_LIMIT_SOURCE_BYTES", "1_000")
    assert SOURCE_BYTES.value == 1000
    monkeypatch.setenv("PRESSPACK_LIMIT_SOURCE_BYTES", "lots")
    with pytest.raises(PresspackError) as info:
        _ = SOURCE_BYTES.value
    assert str(info.value) == (
        "PRESSPACK_LIMIT_SOURCE_BYTES='lots' is not a positive whole number — unset it or give a number "
        "such as PRESSPACK_LIMIT_SOURCE_BYTES=16777216"
    )


def test_read_bounded_refuses_large_files_and_endless_devices(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PRESSPACK_LIMIT_SOURCE_BYTES", "100")
    small = tmp_path / "a.md"
    small.write_bytes(b"x" * 100)
    assert read_bounded(small, SOURCE_BYTES) == b"x" * 100
    small.write_bytes(b"x" * 101)
    with pytest.raises(
        LimitExceeded, match=r"a.md \(101 bytes\) exceeds the 100 bytes limit \(source_bytes\)"
    ):
        read_bounded(small, SOURCE_BYTES)
    with pytest.raises(LimitExceeded, match=r"zero \(more than 100 bytes\) exceeds"):
        read_bounded(Path("/dev/zero"), SOURCE_BYTES, subject="zero")


def test_json_depth() -> None:
    assert loads_json("[" * 64 + "]" * 64, subject="x") == json.loads("[" * 64 + "]" * 64)
    with pytest.raises(LimitExceeded, match=r"index.json is nested deeper than the 64-level limit"):
        loads_json("[" * 65 + "]" * 65, subject="index.json")
    with pytest.raises(LimitExceeded):
        loads_json('{"a":' * 100_000 + "1" + "}" * 100_000, subject="x")
    # brackets inside strings are text, not nesting
    deep_text = json.dumps({"s": "[" * 5000 + '\\"{' * 100})
    assert loads_json(deep_text, subject="x")["s"].startswith("[[[")
    with pytest.raises(LimitExceeded) as huge:
        loads_json('{"package_version": ' + "1" * 5000 + "}", subject="metadata.json")
    assert huge.value.what == (
        "metadata.json (a number of 5,000 digits) exceeds the 100 digits limit (json_number_digits)"
    )
    assert loads_json("[1.5, -20, 1e5]", subject="x") == [1.5, -20, 1e5]
    with pytest.raises(ValueError):
        loads_json("[}", subject="x")
    with pytest.raises(ValueError):
        loads_json("[" * 10, subject="x")  # unbalanced but shallow: json's own error


@given(
    st.recursive(
        st.integers() | st.text(max_size=5),
        lambda c: st.lists(c) | st.dictionaries(st.text(max_size=3), c),
        max_leaves=30,
    )
)
def test_json_depth_matches_real_depth(value: object) -> None:
    def depth(v: object) -> int:
        if isinstance(v, list):
            return 1 + max((depth(x) for x in v), default=0)
        if isinstance(v, dict):
            return 1 + max((depth(x) for x in v.values()), default=0)
        return 0

    text = json.dumps(value)
    d = depth(value)
    assert json_depth_ok(text, d)
    if d:
        assert not json_depth_ok(text, d - 1)


# --------------------------------------------------------------------------- safe zip


def _zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


def test_bomb_is_refused_from_the_directory_before_decompressing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bomb = _zip(tmp_path / "bomb.docx", {"word/document.xml": b"\0" * (70 * 1024 * 1024)})
    assert bomb.stat().st_size < 200_000
    with SafeZip(bomb) as zf, pytest.raises(LimitExceeded) as info:
        zf.read("word/document.xml")
    assert (
        str(info.value) == "word/document.xml (70 MiB unpacked) exceeds the 64 MiB limit (zip_member_bytes)"
    )


def test_a_lying_directory_is_caught_while_streaming(tmp_path: Path) -> None:
    path = _zip(tmp_path / "liar.zip", {"a.xml": b"<a>" + b"x" * 100_000 + b"</a>"})
    data = bytearray(path.read_bytes())
    # shrink the declared unpacked size in the local header and the central directory
    local = data.index(b"PK\x03\x04")
    struct.pack_into("<I", data, local + 22, 10)
    central = data.index(b"PK\x01\x02")
    struct.pack_into("<I", data, central + 24, 10)
    path.write_bytes(bytes(data))
    with SafeZip(path) as zf, pytest.raises(ArchiveError, match=r"damaged member 'a\.xml'"):
        zf.read("a.xml")


def test_total_cap_counts_every_member_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PRESSPACK_LIMIT_ZIP_TOTAL_BYTES", "1500")
    path = _zip(tmp_path / "two.zip", {"a": b"a" * 1000, "b": b"b" * 1000})
    with SafeZip(path) as zf:
        assert zf.read("a") == b"a" * 1000
        with pytest.raises(LimitExceeded, match=r"unpacked parts \(2.0 KiB\) exceeds the 1.5 KiB limit"):
            zf.read("b")


def test_member_count_duplicates_and_names(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PRESSPACK_LIMIT_ZIP_MEMBERS", "3")
    many = _zip(tmp_path / "many.zip", {f"f{i}": b"" for i in range(4)})
    with pytest.raises(LimitExceeded, match=r"the archive \(4 files\) exceeds the 3 members limit"):
        SafeZip(many)
    dup = tmp_path / "dup.zip"
    with zipfile.ZipFile(dup, "w") as zf, pytest.warns(UserWarning):
        zf.writestr("word/document.xml", b"1")
        zf.writestr("word/document.xml", b"2")
    with pytest.raises(ArchiveError, match=r"'word/document\.xml' appears twice"):
        SafeZip(dup)
    evil = _zip(tmp_path / "evil.zip", {"../outside": b"x"})
    with SafeZip(evil) as zf:
        assert zf.check_names() == ["member '../outside' escapes the package folder"]
        with pytest.raises(ArchiveError):
            zf.extract_all(tmp_path / "dest")
    assert not (tmp_path / "outside").exists()
    assert not (tmp_path / "dest").exists()


def test_not_a_zip(tmp_path: Path) -> None:
    path = tmp_path / "x.docx"
    path.write_bytes(b"PK\x03\x04 this is not really a zip")
    with pytest.raises(ArchiveError, match="not a valid zip archive"):
        SafeZip(path)


def test_extract_all_checks_the_directory_first(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PRESSPACK_LIMIT_ZIP_TOTAL_BYTES", "1000")
    path = _zip(tmp_path / "p.zip", {"pkg/a": b"a" * 600, "pkg/b": b"b" * 600})
    with SafeZip(path) as zf, pytest.raises(LimitExceeded):
        zf.extract_all(tmp_path / "dest")
    assert not (tmp_path / "dest").exists()  # nothing written before the check
