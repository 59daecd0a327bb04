"""The package index is trusted only as far as needed (a loopback server plays the hostile index).

Links must be http(s) URLs of the index's own kind (https, or http when the
index is http); file://, relative paths and redirects elsewhere are refused;
index and package sizes are capped; a hostile index never touches the
working model.
"""

from __future__ import annotations

import contextlib
import hashlib
import http.server
import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from toolkit.cli import main
from toolkit.mt.models import _allowed_schemes, _url_problem, find_package, install_file, packages_dir

OFFLINE = "install offline with 'presspack models install FILE.argosmodel'"


class Server:
    """Serves ``routes``: path → (status, headers, body bytes)."""

    def __init__(self) -> None:
        self.routes: dict[str, tuple[int, dict[str, str], bytes]] = {}
        self.hits: list[str] = []
        routes, hits = self.routes, self.hits

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                hits.append(self.path)
                status, headers, body = routes.get(self.path, (404, {}, b"not found"))
                self.send_response(status)
                for key, value in headers.items():
                    self.send_header(key, value)
                if "Content-Length" not in headers:
                    self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                with contextlib.suppress(OSError):  # the client may hang up early
                    self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True)

    def index(self, links: list[str], **entry: object) -> None:
        item = {"from_code": "ko", "to_code": "en", "package_version": "1.1", "links": links, **entry}
        self.routes["/index.json"] = (200, {}, json.dumps([item]).encode())


@pytest.fixture
def server() -> Iterator[Server]:
    s = Server()
    s.thread.start()
    try:
        yield s
    finally:
        s.httpd.shutdown()
        s.httpd.server_close()


@pytest.fixture
def working(argos_home: Path, copy_model_files: dict[str, Path]) -> Path:
    install_file(copy_model_files["ko-en"])
    return packages_dir()


def digest(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): ("dir" if p.is_dir() else hashlib.sha256(p.read_bytes()).hexdigest())
        for p in sorted(root.rglob("*"))
    }


def install(server: Server, *extra: str) -> tuple[int, str]:
    result = CliRunner().invoke(
        main,
        ["models", "install", "ko", "en", "--timeout", "10", *extra],
        env={"ARGOS_PACKAGE_INDEX": server.base},
    )
    return result.exit_code, result.stderr


def last_error(stderr: str) -> str:
    return [line for line in stderr.splitlines() if line.startswith("Error: ")][-1]


@pytest.mark.parametrize(
    "link",
    [
        "file:///etc/passwd",
        "file:///dev/zero",
        "translate-ko_en-1_1.argosmodel",
        "/abs/x.argosmodel",
        "ftp://x/y",
    ],
)
def test_links_that_are_not_http_are_refused(server: Server, working: Path, link: str) -> None:
    server.index([link])
    before = digest(working.parent)
    code, err = install(server)
    assert code == 1
    assert last_error(err) == (
        f"Error: cannot download the ko→en package from refused {link} is not an absolute https:// or"
        f" http:// URL; check the network or {OFFLINE}"
    )
    assert digest(working.parent) == before
    assert server.hits == ["/index.json"]


@pytest.mark.parametrize("target", ["file:///etc/passwd", "ftp://127.0.0.1/x.argosmodel", "data:,hello"])
def test_redirects_to_other_schemes_are_refused(server: Server, working: Path, target: str) -> None:
    server.index([server.base + "/pkg"])
    server.routes["/pkg"] = (302, {"Location": target}, b"")
    before = digest(working.parent)
    code, err = install(server)
    assert code == 1
    assert last_error(err) == (
        "Error: cannot download the ko→en package from refused redirected to "
        f"{target} is not an absolute https:// or http:// URL; check the network or {OFFLINE}"
    )
    assert digest(working.parent) == before


def test_redirect_within_http_is_followed(
    server: Server, argos_home: Path, copy_model_files: dict[str, Path]
) -> None:
    server.index([server.base + "/moved"])
    server.routes["/moved"] = (301, {"Location": "/real.argosmodel"}, b"")
    server.routes["/real.argosmodel"] = (200, {}, copy_model_files["ko-en"].read_bytes())
    code, err = install(server)
    assert code == 0, err
    assert find_package("ko", "en").name == "translate-ko_en-1_0"


def test_https_index_may_not_link_to_plain_http() -> None:
    https_only = _allowed_schemes("https://mirror.example/index.json")
    assert _url_problem("http://mirror.example/x.argosmodel", https_only) == (
        "http://mirror.example/x.argosmodel is not an absolute https:// URL"
    )
    assert _url_problem("https://mirror.example/x.argosmodel", https_only) is None
    assert _allowed_schemes("http://mirror.example/index.json") == {"http", "https"}


def test_index_must_be_a_web_address(argos_home: Path) -> None:
    result = CliRunner().invoke(
        main, ["models", "install", "ko", "en"], env={"ARGOS_PACKAGE_INDEX": "file:///etc/"}
    )
    assert result.exit_code == 1
    assert last_error(result.stderr) == (
        "Error: the package index must be an http:// or https:// URL: file:///etc/index.json is not an"
        f" absolute https:// or http:// URL — set ARGOS_PACKAGE_INDEX to a web address, or {OFFLINE}"
    )


def test_huge_index_is_refused_by_its_length(server: Server, working: Path) -> None:
    server.routes["/index.json"] = (200, {"Content-Length": str(1024**3)}, b"[")
    code, err = install(server)
    assert code == 1
    assert last_error(err) == (
        f"Error: refusing the package index at {server.base}/index.json: the index (1 GiB) exceeds the"
        f" 16 MiB limit (index_bytes) — check ARGOS_PACKAGE_INDEX or {OFFLINE}"
    )


def test_index_without_length_is_cut_off_at_the_cap(server: Server, working: Path) -> None:
    body = b"[" + b" " * (17 * 1024 * 1024) + b"]"
    server.routes["/index.json"] = (200, {"Content-Length": ""}, body)  # empty: no usable length
    code, err = install(server)
    assert code == 1
    assert last_error(err) == (
        f"Error: refusing the package index at {server.base}/index.json: the index (more than 16 MiB)"
        f" exceeds the 16 MiB limit (index_bytes) — check ARGOS_PACKAGE_INDEX or {OFFLINE}"
    )


def test_deep_index_json(server: Server, working: Path) -> None:
    server.routes["/index.json"] = (200, {}, b"[" * 50_000 + b"]" * 50_000)
    code, err = install(server)
    assert code == 1
    assert last_error(err) == (
        f"Error: the package index at {server.base}/index.json is nested deeper than the 64-level limit"
        f" (json_depth) — check ARGOS_PACKAGE_INDEX or {OFFLINE}"
    )


def test_entries_with_absurd_versions_are_skipped(
    server: Server, argos_home: Path, copy_model_files: dict[str, Path]
) -> None:
    good = {"from_code": "ko", "to_code": "en", "package_version": "1.0", "links": [server.base + "/ok"]}
    evil = {
        "from_code": "ko",
        "to_code": "en",
        "package_version": "9" * 5000,
        "links": [server.base + "/evil"],
    }
    server.routes["/index.json"] = (200, {}, json.dumps([evil, good]).encode())
    server.routes["/ok"] = (200, {}, copy_model_files["ko-en"].read_bytes())
    code, err = install(server)
    assert code == 0, err
    assert "/evil" not in server.hits


def test_package_larger_than_the_cap_is_not_downloaded(
    server: Server, working: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    server.index([server.base + "/big"])
    server.routes["/big"] = (200, {"Content-Length": str(3 * 1024**3)}, b"PK")
    before = digest(working.parent)
    code, err = install(server)
    assert code == 1
    assert last_error(err) == (
        "Error: cannot download the ko→en package from refused the package (3 GiB) exceeds the 2 GiB limit"
        f" (package_bytes); check the network or {OFFLINE}"
    )
    assert digest(working.parent) == before


def test_a_full_disk_while_downloading_is_not_a_network_error(
    server: Server, working: Path, copy_model_files: dict[str, Path]
) -> None:
    """A real write failure (file size rlimit, EFBIG) in a child process."""
    server.index([server.base + "/pkg"])
    server.routes["/pkg"] = (200, {}, copy_model_files["ko-en"].read_bytes())
    before = digest(working.parent)
    code = (
        "import resource, signal\n"
        "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
        "resource.setrlimit(resource.RLIMIT_FSIZE, (200_000, 200_000))\n"
        "from toolkit.cli import main\n"
        "main(['models', 'install', 'ko', 'en', '--timeout', '10'])\n"
    )
    env = {**os.environ, "ARGOS_PACKAGE_INDEX": server.base}
    proc = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert proc.returncode == 1
    assert last_error(proc.stderr) == (
        f"Error: cannot store the download in {working.parent} (File too large) — free some disk space"
        " (or set ARGOS_PACKAGES_DIR to a larger disk), then install again"
    )
    assert digest(working.parent) == before
