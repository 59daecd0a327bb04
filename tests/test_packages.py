from __future__ import annotations

import http.server
import importlib.util
import json
import os
import socket
import stat
import subprocess
import sys
import threading
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from toolkit.core.errors import ModelError
from toolkit.mt.models import (
    find_package,
    install_file,
    install_from_index,
    list_installed,
    packages_dir,
    remove,
    resolve_index_url,
    validate_package_file,
)
from toolkit.testing import build_copy_package, isolated_argos_env

OFFLINE = "check the network or install offline with 'presspack models install FILE.argosmodel'"


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("builds")
    return {
        "ko-en-1.0": build_copy_package(root / "a", "ko", "en", version="1.0"),
        "ko-en-1.1": build_copy_package(root / "b", "ko", "en", version="1.1"),
        "en-ko-1.0": build_copy_package(root / "c", "en", "ko", version="1.0"),
    }


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Isolated argos dirs; returns the packages dir (created, empty)."""
    monkeypatch.delenv("ARGOS_PACKAGE_INDEX", raising=False)
    for key, value in isolated_argos_env(tmp_path / "argos").items():
        monkeypatch.setenv(key, value)
    pdir = packages_dir()
    pdir.mkdir(parents=True)
    return pdir


def snapshot(root: Path) -> dict[str, int]:
    """Every path under root (the packages dir's parent, to catch staging leftovers)."""
    return {
        str(p.relative_to(root)): (p.stat().st_size if p.is_file() else -1) for p in sorted(root.rglob("*"))
    }


def make_zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


def good_members(top: str = "pkg", **override: bytes) -> dict[str, bytes]:
    members = {
        f"{top}/metadata.json": json.dumps({"from_code": "ko", "to_code": "en"}).encode(),
        f"{top}/model/model.bin": b"x",
        f"{top}/sentencepiece.model": b"y",
    }
    members.update({f"{top}/{k}": v for k, v in override.items()})
    return members


# --------------------------------------------------------------------------- settings


def test_packages_dir_follows_argos_rules(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ARGOS_PACKAGES_DIR", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "cfg"))
    assert packages_dir() == tmp_path / "home/.local/share/argos-translate/packages"
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert packages_dir() == tmp_path / "data/argos-translate/packages"
    settings = tmp_path / "cfg/argos-translate/settings.json"
    settings.parent.mkdir(parents=True)
    settings.write_text(json.dumps({"ARGOS_PACKAGES_DIR": str(tmp_path / "fromjson")}))
    assert packages_dir() == tmp_path / "fromjson"
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "fromenv"))
    assert packages_dir() == tmp_path / "fromenv"


def test_index_url_matches_argos_semantics(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ARGOS_PACKAGE_INDEX", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", "/nonexistent")
    assert resolve_index_url() == (
        "https://raw.githubusercontent.com/argosopentech/argospm-index/main/index.json"
    )
    monkeypatch.setenv("ARGOS_PACKAGE_INDEX", "http://mirror.example/argos/")
    assert resolve_index_url() == "http://mirror.example/argos/index.json"
    assert resolve_index_url("http://x/y") == "http://x/y/index.json"
    assert resolve_index_url("http://x/custom.json") == "http://x/custom.json"


# ------------------------------------------------------------------- install / list / remove


def test_install_list_find_remove(env: Path, builds: dict[str, Path]) -> None:
    assert list_installed() == []
    ko_en = install_file(builds["ko-en-1.0"])
    en_ko = install_file(builds["en-ko-1.0"])
    assert ko_en.path == env / "translate-ko_en-1_0"
    assert (ko_en.from_code, ko_en.to_code, ko_en.package_version) == ("ko", "en", "1.0")
    assert list_installed() == [en_ko, ko_en]
    assert find_package("ko", "en") == ko_en
    assert ko_en.model_id.startswith("translate-ko_en-1_0@1.0#")
    assert ko_en.model_id == find_package("ko", "en").model_id
    assert ko_en.model_id != en_ko.model_id
    assert remove("ko", "en") == ko_en
    assert not ko_en.path.exists()
    assert list_installed() == [en_ko]
    with pytest.raises(ModelError) as info:
        remove("ko", "en")
    assert info.value.problems[0].what.startswith("no ko→en model installed")
    assert sorted(p.name for p in env.parent.iterdir()) == ["packages"]  # no staging left


def test_new_version_replaces_same_pair(env: Path, builds: dict[str, Path]) -> None:
    install_file(builds["ko-en-1.0"])
    newer = install_file(builds["ko-en-1.1"])
    assert [p.name for p in list_installed()] == ["translate-ko_en-1_1"]
    assert find_package("ko", "en") == newer
    again = install_file(builds["ko-en-1.1"])  # reinstalling the same version is fine
    assert again == newer
    assert sorted(p.name for p in env.iterdir()) == ["translate-ko_en-1_1"]


def test_failed_extraction_keeps_old_package(env: Path, builds: dict[str, Path]) -> None:
    """A real write failure mid-extraction (file size rlimit: EFBIG, like a full disk)."""
    old = install_file(builds["ko-en-1.0"])
    before = snapshot(env.parent)
    code = (
        "import resource, signal, sys\n"
        "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
        "resource.setrlimit(resource.RLIMIT_FSIZE, (500_000, 500_000))\n"
        "from toolkit.core.errors import ModelError\n"
        "from toolkit.mt.models import install_file\n"
        "try:\n"
        f"    install_file({str(builds['ko-en-1.1'])!r})\n"
        "except ModelError as exc:\n"
        "    print(exc)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], env=dict(os.environ), capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith(f"{builds['ko-en-1.1']}: cannot unpack into ")
    assert "(File too large) — check free disk space and permissions; nothing was installed" in out.stdout
    assert snapshot(env.parent) == before
    assert find_package("ko", "en") == old


def test_argos_sees_our_packages(env: Path, builds: dict[str, Path]) -> None:
    if importlib.util.find_spec("argostranslate") is None:
        pytest.skip("argostranslate is the optional extra presspack[argos]")
    install_file(builds["ko-en-1.0"])
    code = (
        "from argostranslate.package import get_installed_packages as g;"
        "print([(p.from_code, p.to_code, p.package_version) for p in g()])"
    )
    out = subprocess.run([sys.executable, "-c", code], env=dict(os.environ), capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[('ko', 'en', '1.0')]"


# --------------------------------------------------------------------------- rejection


def _reject(path: Path, env: Path) -> ModelError:
    before = snapshot(env.parent)
    with pytest.raises(ModelError) as info:
        install_file(path)
    assert snapshot(env.parent) == before
    return info.value


def test_rejects_corrupt_zip_bad_crc(env: Path, builds: dict[str, Path], tmp_path: Path) -> None:
    data = bytearray(builds["ko-en-1.0"].read_bytes())
    with zipfile.ZipFile(builds["ko-en-1.0"]) as zf:
        info = zf.getinfo("translate-ko_en-1_0/model/model.bin")
    middle = info.header_offset + 200 + info.compress_size // 2
    data[middle] ^= 0xFF
    bad = tmp_path / "bad.argosmodel"
    bad.write_bytes(bytes(data))
    err = _reject(bad, env)
    assert "corrupt archive" in err.problems[0].what
    assert err.problems[0].file == str(bad)
    assert "download the .argosmodel file again" in err.problems[0].fix


def test_rejects_non_zip_and_truncated(env: Path, builds: dict[str, Path], tmp_path: Path) -> None:
    text = tmp_path / "readme.argosmodel"
    text.write_text("hello")
    assert _reject(text, env).problems[0].what == ("not a zip archive, so not an argos model package")
    truncated = tmp_path / "cut.argosmodel"
    truncated.write_bytes(builds["ko-en-1.0"].read_bytes()[:5000])
    assert "not a zip archive" in _reject(truncated, env).problems[0].what
    missing = _reject(tmp_path / "nope.argosmodel", env)
    assert "does not exist" in missing.problems[0].what


def test_rejects_path_escaping_members(env: Path, tmp_path: Path) -> None:
    # Staging is <packages dir>/../.presspack-staging-*/new/ (deleted afterwards): climb
    # from new/pkg/ all the way back to tmp_path, where an unchecked extraction would land.
    climb = "../" * (len(env.relative_to(tmp_path).parts) + 2)
    members = good_members()
    members[f"pkg/{climb}evil"] = b"owned"
    err = _reject(make_zip(tmp_path / "escape.argosmodel", members), env)
    assert [p.what for p in err.problems] == [f"member 'pkg/{climb}evil' escapes the package folder"]
    assert list(tmp_path.rglob("evil")) == []

    members = good_members()
    members["/etc/evil"] = b"owned"
    err = _reject(make_zip(tmp_path / "abs.argosmodel", members), env)
    assert "absolute" in err.problems[0].what


def test_rejects_symlink_members(env: Path, tmp_path: Path) -> None:
    path = make_zip(tmp_path / "link.argosmodel", good_members())
    with zipfile.ZipFile(path, "a") as zf:
        info = zipfile.ZipInfo("pkg/link")
        info.external_attr = (stat.S_IFLNK | 0o777) << 16
        zf.writestr(info, "/etc/passwd")
    err = _reject(path, env)
    assert err.problems[0].what == "member 'pkg/link' is a symbolic link"


def test_rejects_two_top_level_folders(env: Path, tmp_path: Path) -> None:
    members = good_members("one") | good_members("two")
    err = _reject(make_zip(tmp_path / "two.argosmodel", members), env)
    assert err.problems[0].what == ("a package must hold exactly one top-level folder, found: one, two")


def test_rejects_zip_without_package_layout(env: Path, tmp_path: Path) -> None:
    err = _reject(make_zip(tmp_path / "plain.argosmodel", {"docs/readme.txt": b"hi"}), env)
    assert err.problems[0].what == (
        "not an argos model package: missing metadata.json, model/model.bin, "
        "sentencepiece.model (or bpe.model) in docs/"
    )


def test_rejects_bad_metadata(env: Path, tmp_path: Path) -> None:
    bad_json = make_zip(tmp_path / "j.argosmodel", good_members(**{"metadata.json": b"{nope"}))
    assert "metadata.json is not valid JSON" in _reject(bad_json, env).problems[0].what
    no_codes = make_zip(
        tmp_path / "c.argosmodel",
        good_members(**{"metadata.json": json.dumps({"to_code": "en"}).encode()}),
    )
    err = _reject(no_codes, env)
    assert err.problems[0].what == "pkg/metadata.json lacks a valid from_code"
    assert validate_package_file(make_zip(tmp_path / "ok.zip", good_members())) == {
        "from_code": "ko",
        "to_code": "en",
    }


# --------------------------------------------------------------------------- index download


class _Handler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def index_server(tmp_path: Path, builds: dict[str, Path]) -> Iterator[str]:
    root = tmp_path / "www"
    root.mkdir()
    (root / "ko_en.argosmodel").write_bytes(builds["ko-en-1.1"].read_bytes())
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), lambda *a: _Handler(*a, directory=str(root)))
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    index = [
        {"from_code": "en", "to_code": "es", "package_version": "1.0", "links": [base + "x"]},
        {
            "from_code": "ko",
            "to_code": "en",
            "package_version": "1.1",
            "links": [base + "missing.argosmodel", base + "ko_en.argosmodel"],
        },
        {"from_code": "ko", "to_code": "en", "package_version": "1.0", "links": [base + "old"]},
    ]
    (root / "index.json").write_text(json.dumps(index))
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield base
    finally:
        server.shutdown()
        server.server_close()


def test_install_from_index_with_progress(
    env: Path, index_server: str, builds: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ARGOS_PACKAGE_INDEX", index_server)
    calls: list[tuple[int, int | None]] = []
    pkg = install_from_index("ko", "en", timeout=10, progress=lambda d, t: calls.append((d, t)))
    assert (pkg.package_version, pkg.name) == ("1.1", "translate-ko_en-1_1")
    size = builds["ko-en-1.1"].stat().st_size
    assert calls[0] == (0, size)
    assert calls[-1] == (size, size)
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)
    assert len(calls) > 2
    assert find_package("ko", "en") == pkg


def test_index_without_pair(env: Path, index_server: str) -> None:
    with pytest.raises(ModelError) as info:
        install_from_index("ko", "ja", index_url=index_server, timeout=5)
    assert info.value.problems[0].what == (
        f"the package index at {index_server}index.json offers no ko→ja package"
    )


def test_stalled_server_fails_within_timeout(env: Path) -> None:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(5)  # the kernel accepts connections; nobody ever answers
    url = f"http://127.0.0.1:{listener.getsockname()[1]}/"
    try:
        started = time.monotonic()
        with pytest.raises(ModelError) as info:
            install_from_index("ko", "en", index_url=url, timeout=2)
        elapsed = time.monotonic() - started
    finally:
        listener.close()
    assert 1.5 < elapsed < 3.5
    assert info.value.problems[0].what == (
        f"cannot reach the package index at {url}index.json (timed out); {OFFLINE}"
    )


def test_trickling_server_hits_overall_deadline(env: Path) -> None:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(5)
    stop = threading.Event()

    def trickle() -> None:
        conn, _ = listener.accept()
        conn.recv(4096)
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n")
        while not stop.wait(0.3):
            try:
                conn.sendall(b"[")
            except OSError:
                break
        conn.close()

    thread = threading.Thread(target=trickle, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{listener.getsockname()[1]}/index.json"
    try:
        started = time.monotonic()
        with pytest.raises(ModelError) as info:
            install_from_index("ko", "en", index_url=url, timeout=1.5)
        elapsed = time.monotonic() - started
    finally:
        stop.set()
        listener.close()
        thread.join(5)
    assert elapsed < 2.5
    assert info.value.problems[0].what.startswith(f"cannot reach the package index at {url} (")


def test_closed_port_fails_fast(env: Path) -> None:
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()  # nothing listens here now
    url = f"http://127.0.0.1:{port}/"
    started = time.monotonic()
    with pytest.raises(ModelError) as info:
        install_from_index("ko", "en", index_url=url, timeout=20)
    assert time.monotonic() - started < 2
    what = info.value.problems[0].what
    assert what.startswith(f"cannot reach the package index at {url}index.json (")
    assert what.endswith(f"); {OFFLINE}")
    assert "refused" in what.lower()
