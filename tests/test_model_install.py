"""`models install` is a transaction: bad packages never touch a working model.

Each bad package is installed over a working ko→en copy model through the CLI;
the packages folder (and its parent, where staging happens) must be
byte-for-byte what it was, every file hashed. Broken folders already in the
packages dir are listed as broken and never hide the working model.
"""

from __future__ import annotations

import hashlib
import json
import struct
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from toolkit.cli import main
from toolkit.mt.models import find_package, install_file, packages_dir

Mutate = Callable[[dict[str, bytes], str], None]


def run(args: list[str], stdin: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, args, input=stdin)
    return result.exit_code, result.stdout, result.stderr


def digest(root: Path) -> dict[str, str]:
    """Every path under ``root`` with the sha256 of its content (dirs and links marked)."""
    out: dict[str, str] = {}
    for path in sorted(root.rglob("*")):
        rel = str(path.relative_to(root))
        if path.is_symlink():
            out[rel] = "link:" + str(path.readlink())
        elif path.is_dir():
            out[rel] = "dir"
        else:
            out[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


@pytest.fixture
def working(argos_home: Path, copy_model_files: dict[str, Path]) -> Path:
    """A working ko→en copy model installed; returns the packages dir."""
    install_file(copy_model_files["ko-en"])
    return packages_dir()


def _members(path: Path) -> tuple[dict[str, bytes], str]:
    with zipfile.ZipFile(path) as zf:
        members = {i.filename: zf.read(i) for i in zf.infolist()}
    top = next(iter(members)).split("/", 1)[0]
    return members, top


def _write(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


def _meta(**changes: object) -> Mutate:
    def mutate(members: dict[str, bytes], top: str) -> None:
        meta = json.loads(members[f"{top}/metadata.json"])
        for key, value in changes.items():
            if value is None:
                meta.pop(key, None)
            else:
                meta[key] = value
        members[f"{top}/metadata.json"] = json.dumps(meta).encode()

    return mutate


def _raw_meta(raw: bytes) -> Mutate:
    def mutate(members: dict[str, bytes], top: str) -> None:
        members[f"{top}/metadata.json"] = raw

    return mutate


def _drop(rel: str) -> Mutate:
    def mutate(members: dict[str, bytes], top: str) -> None:
        del members[f"{top}/{rel}"]

    return mutate


def _rename_top(new: str) -> Mutate:
    def mutate(members: dict[str, bytes], top: str) -> None:
        for name in list(members):
            members[new + name[len(top) :]] = members.pop(name)

    return mutate


def _add(name: str, data: bytes) -> Mutate:
    def mutate(members: dict[str, bytes], top: str) -> None:
        members[name.replace("TOP", top)] = data

    return mutate


TOP = "translate-ko_en-1_0"
BAD_PACKAGES: dict[str, tuple[Mutate, str]] = {
    "sbd-type": (
        _meta(type="sbd"),
        f"{TOP}/metadata.json says type 'sbd': a sentence-boundary package, not a translation model"
        " — install a translate-*.argosmodel package (presspack only uses translation models)",
    ),
    "version-5000-digits": (
        _meta(package_version="1" * 5000),
        f"{TOP}/metadata.json: package_version (5,000 characters) exceeds the 32 characters limit"
        " (version_chars) — use a translate-*.argosmodel package built for argos-translate",
    ),
    "version-5000-digit-number": (
        _raw_meta(b'{"from_code": "ko", "to_code": "en", "package_version": ' + b"9" * 5000 + b"}"),
        f"{TOP}/metadata.json (a number of 5,000 digits) exceeds the 100 digits limit (json_number_digits)"
        " — use a translate-*.argosmodel package built for argos-translate",
    ),
    "version-not-a-version": (
        _meta(package_version="1.0; rm -rf /"),
        f"{TOP}/metadata.json: package_version '1.0; rm -rf /' is not a version such as \"1.1\""
        " — use a translate-*.argosmodel package built for argos-translate",
    ),
    "version-a-list": (
        _meta(package_version=[1, 0]),
        f'{TOP}/metadata.json: package_version must be a version string such as "1.1", not list'
        " — use a translate-*.argosmodel package built for argos-translate",
    ),
    "same-languages": (
        _meta(to_code="ko"),
        f"{TOP}/metadata.json translates ko into itself"
        " — use a translate-*.argosmodel package built for argos-translate",
    ),
    "bad-code": (
        _meta(from_code="../../x"),
        f"{TOP}/metadata.json lacks a valid from_code"
        " — use a translate-*.argosmodel package built for argos-translate",
    ),
    "deep-json": (
        _raw_meta(b'{"from_code": "ko", "to_code": "en", "x": ' + b"[" * 5000 + b"]" * 5000 + b"}"),
        f"{TOP}/metadata.json is nested deeper than the 64-level limit (json_depth)"
        " — use a translate-*.argosmodel package built for argos-translate",
    ),
    "invalid-json": (
        _raw_meta(b"{nope"),
        f"{TOP}/metadata.json is not valid JSON (Expecting property name enclosed in double quotes:"
        " line 1 column 2 (char 1)) — download the .argosmodel file again (it is damaged or not a model"
        " package)",
    ),
    "huge-metadata": (
        _raw_meta(b'{"from_code": "ko", "to_code": "en", "pad": "' + b" " * (1024 * 1024) + b'"}'),
        f"{TOP}/metadata.json (1.0 MiB) exceeds the 1 MiB limit (metadata_bytes)"
        " — use a translate-*.argosmodel package built for argos-translate",
    ),
    "no-model": (
        _drop("model/model.bin"),
        f"not an argos model package: missing model/model.bin in {TOP}/"
        " — download the .argosmodel file again (it is damaged or not a model package)",
    ),
    "folder-name": (
        _rename_top("translate ko en!"),
        "package folder name 'translate ko en!' is not a plain name (letters, digits, '.', '_', '-')"
        " — use a translate-*.argosmodel package built for argos-translate",
    ),
    "escaping-member": (
        _add("TOP/../../evil.txt", b"owned"),
        f"member '{TOP}/../../evil.txt' escapes the package folder — refusing to install an unsafe archive",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_PACKAGES))
def test_bad_package_over_a_working_model_changes_nothing(
    case: str, working: Path, copy_model_files: dict[str, Path], tmp_path: Path
) -> None:
    mutate, expected = BAD_PACKAGES[case]
    members, top = _members(copy_model_files["ko-en"])
    assert top == TOP
    mutate(members, top)
    bad = _write(tmp_path / f"{case}.argosmodel", members)
    before = digest(working.parent)
    code, out, err = run(["models", "install", str(bad)])
    assert (code, out) == (1, "")
    assert err == f"Error: {bad}: {expected}\n"
    assert digest(working.parent) == before
    code, out, err = run(["models", "list"])
    assert code == 0 and err == ""
    assert out.startswith(f"ko→en  {TOP} 1.0  ")
    assert find_package("ko", "en").name == TOP


def _patch_sizes(path: Path, member: str, size: int) -> None:
    """Make the zip directory claim ``member`` unpacks to ``size`` bytes (a bomb's lie)."""
    data = bytearray(path.read_bytes())
    name = member.encode()
    pos = data.index(b"PK\x01\x02")
    while True:
        pos = data.index(b"PK\x01\x02", pos)
        name_len = struct.unpack_from("<H", data, pos + 28)[0]
        if bytes(data[pos + 46 : pos + 46 + name_len]) == name:
            struct.pack_into("<I", data, pos + 24, size)
            break
        pos += 4
    path.write_bytes(bytes(data))


def test_zip_bomb_package_is_refused_from_the_directory(
    working: Path, copy_model_files: dict[str, Path], tmp_path: Path
) -> None:
    members, top = _members(copy_model_files["ko-en"])
    bomb = _write(tmp_path / "bomb.argosmodel", members)
    _patch_sizes(bomb, f"{top}/model/model.bin", 0xFFFFFFF0)
    before = digest(working.parent)
    code, _, err = run(["models", "install", str(bomb)])
    assert code == 1
    assert err == (
        f"Error: {bomb}: the package (4.0 GiB unpacked) exceeds the 4 GiB limit (package_unpacked_bytes)"
        " — download the .argosmodel file again (it is damaged or not a model package)\n"
    )
    assert digest(working.parent) == before


def test_corrupt_member_is_caught_while_unpacking(
    working: Path, copy_model_files: dict[str, Path], tmp_path: Path
) -> None:
    data = bytearray(copy_model_files["ko-en"].read_bytes())
    with zipfile.ZipFile(copy_model_files["ko-en"]) as zf:
        info = zf.getinfo(f"{TOP}/model/model.bin")
    data[info.header_offset + 200 + info.compress_size // 2] ^= 0xFF
    bad = tmp_path / "crc.argosmodel"
    bad.write_bytes(bytes(data))
    before = digest(working.parent)
    code, _, err = run(["models", "install", str(bad)])
    assert code == 1
    assert err.startswith(f"Error: {bad}: corrupt archive (damaged member '{TOP}/model/model.bin': ")
    assert err.endswith(" — download the .argosmodel file again (it is damaged or not a model package)\n")
    assert digest(working.parent) == before


def test_folder_in_the_way_is_not_replaced(
    working: Path, copy_model_files: dict[str, Path], tmp_path: Path
) -> None:
    other = working / "translate-en_ko-1_0"
    other.mkdir()
    (other / "notes.txt").write_text("mine")
    before = digest(working.parent)
    code, _, err = run(["models", "install", str(copy_model_files["en-ko"])])
    assert code == 1
    assert err == (
        f"Error: {copy_model_files['en-ko']}: {other} already exists and is not a working en→ko package"
        " — remove or rename that folder, then install again\n"
    )
    assert digest(working.parent) == before


def test_reinstalling_the_same_version_swaps_atomically(
    working: Path, copy_model_files: dict[str, Path]
) -> None:
    before = digest(working)
    code, out, err = run(["models", "install", str(copy_model_files["ko-en"])])
    assert code == 0, err
    assert out == f"installed ko→en {TOP} 1.0\n"
    assert digest(working) == before  # same content, same folder
    assert sorted(p.name for p in working.parent.iterdir()) == ["packages"]  # no staging left


# --------------------------------------------------------------------------- broken folders


def _broken_folder(root: Path, name: str, metadata: bytes | None, *, model: bool = True) -> None:
    folder = root / name
    (folder / "model").mkdir(parents=True)
    if metadata is not None:
        (folder / "metadata.json").write_bytes(metadata)
    if model:
        (folder / "model" / "model.bin").write_bytes(b"x")
        (folder / "sentencepiece.model").write_bytes(b"y")


def test_broken_packages_are_listed_as_broken_and_never_hide_the_working_one(working: Path) -> None:
    ko_en = b'"from_code": "ko", "to_code": "en"'
    _broken_folder(working, "a-long-version", b"{" + ko_en + b', "package_version": "' + b"1" * 5000 + b'"}')
    _broken_folder(working, "b-long-number", b"{" + ko_en + b', "package_version": ' + b"1" * 5000 + b"}")
    _broken_folder(working, "c-invalid", b"{nope")
    _broken_folder(working, "d-deep", b"[" * 100_000 + b"]" * 100_000)
    _broken_folder(working, "e-no-metadata", None)
    _broken_folder(working, "f-no-model", b"{" + ko_en + b', "package_version": "9.9"}', model=False)
    _broken_folder(working, "g-sbd", b'{"type": "sbd", "from_code": "ko", "to_code": "en"}')
    code, out, err = run(["models", "list"])
    assert code == 0
    assert out.startswith(f"ko→en  {TOP} 1.0  ")
    fix = " — delete the folder, or reinstall the model with 'presspack models install'"
    assert err.splitlines() == [
        f"Warning: {working}/a-long-version: broken package, ignored (metadata.json: package_version"
        f" (5,000 characters) exceeds the 32 characters limit (version_chars)){fix}",
        f"Warning: {working}/b-long-number: broken package, ignored (metadata.json (a number of 5,000 digits)"
        f" exceeds the 100 digits limit (json_number_digits)){fix}",
        f"Warning: {working}/c-invalid: broken package, ignored (metadata.json is unreadable (Expecting"
        f" property name enclosed in double quotes: line 1 column 2 (char 1))){fix}",
        f"Warning: {working}/d-deep: broken package, ignored (metadata.json is nested deeper than the"
        f" 64-level limit (json_depth)){fix}",
        f"Warning: {working}/e-no-metadata: broken package, ignored (no metadata.json){fix}",
        f"Warning: {working}/f-no-model: broken package, ignored"
        f" (missing model/model.bin, sentencepiece.model){fix}",
        f"Warning: {working}/g-sbd: not a translation package, ignored (metadata.json says type 'sbd':"
        " a sentence-boundary package, not a translation model)",
    ]
    code, out, _ = run(["models", "list", "--json"])
    assert code == 0
    assert [m["name"] for m in json.loads(out)] == [TOP]
    # and translation still works with the working model
    code, out, err = run(["translate", "-", "--from", "ko", "--to", "en"], stdin="오늘 행사가 열린다.\n")
    assert code == 0, err
    assert out == "오늘 행사가 열린다.\n"


def test_only_broken_packages_say_so_when_translating(argos_home: Path) -> None:
    root = packages_dir()
    _broken_folder(
        root, "translate-ko_en-9_9", b'{"from_code": "ko", "to_code": "en", "package_version": "x y"}'
    )
    code, out, err = run(["translate", "-", "--from", "ko", "--to", "en"], stdin="창원\n")
    assert code == 1
    assert err == (
        "Error: no ko→en model installed; run 'presspack models install ko en' (online) or "
        "'presspack models install FILE.argosmodel'"
        " (1 broken package folder(s) ignored: translate-ko_en-9_9)\n"
    )
    code, out, _ = run(["models", "list"])
    assert code == 0 and out == f"no working models installed in {root}\n"
