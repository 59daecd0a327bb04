"""Run the hostile-input corpus (hostile_cases.py) through the CLI.

Every case: the exit code, the exact ``Error:`` line (or, for correct output,
the case's own checks), never a traceback. Bomb cases run as a child process
under a 2 GiB address-space limit and a timeout, so a regression that tries
to unpack 4 GB or loops fails here instead of taking the machine down. Model
cases also prove the packages folder is byte-for-byte unchanged.
"""

from __future__ import annotations

import contextlib
import hashlib
import http.server
import os
import resource
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest
from click.testing import CliRunner
from hostile_cases import CASES, Case, Ctx

from toolkit.cli import main
from toolkit.mt.models import install_file, packages_dir

ADDRESS_SPACE = 2 * 1024**3
TIMEOUT_S = 120


class _Routes(http.server.BaseHTTPRequestHandler):
    routes: ClassVar[dict[str, tuple[int, dict[str, str], bytes]]] = {}

    def do_GET(self) -> None:
        status, headers, body = self.routes.get(self.path, (404, {}, b"not found"))
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        if "Content-Length" not in headers:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        with contextlib.suppress(OSError):  # clients hang up on refused bodies
            self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[tuple[str, dict[str, tuple[int, dict[str, str], bytes]]]]:
    routes: ClassVar[dict[str, tuple[int, dict[str, str], bytes]]] = {}
    handler = type("Handler", (_Routes,), {"routes": routes})
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", routes
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture
def ctx(
    tmp_path: Path,
    argos_home: Path,
    copy_model_files: dict[str, Path],
    server: tuple[str, dict[str, tuple[int, dict[str, str], bytes]]],
    monkeypatch: pytest.MonkeyPatch,
) -> Ctx:
    base, routes = server
    routes.clear()
    for package in copy_model_files.values():
        install_file(package)
    monkeypatch.setenv("ARGOS_PACKAGE_INDEX", base)
    folder = tmp_path / "case"
    folder.mkdir()
    return Ctx(folder, base, routes, packages_dir(), copy_model_files["ko-en"])


def digest(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): ("dir" if p.is_dir() else hashlib.sha256(p.read_bytes()).hexdigest())
        for p in sorted(root.rglob("*"))
    }


def _bounded() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))


def run(c: Case, ctx: Ctx, args: list[str]) -> tuple[int, str, str]:
    stdin = c.stdin(ctx) if c.stdin else None
    if c.bomb:
        env = {**os.environ, **c.env}
        env.pop("PRESSPACK_DEBUG", None)
        proc = subprocess.run(
            [sys.executable, "-m", "toolkit", *args],
            input=stdin,
            capture_output=True,
            env=env,
            timeout=TIMEOUT_S,
            preexec_fn=_bounded,
        )
        return proc.returncode, proc.stdout.decode("utf-8", "replace"), proc.stderr.decode("utf-8", "replace")
    result = CliRunner().invoke(main, args, input=stdin, env=c.env)
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("c", CASES, ids=[c.name for c in CASES])
def test_hostile_case(c: Case, ctx: Ctx) -> None:
    args = c.setup(ctx)
    before = digest(ctx.packages.parent) if c.keeps_models else {}
    code, stdout, stderr = run(c, ctx, args)
    assert "Traceback" not in stderr
    assert code == c.code, stderr
    errors = [line for line in stderr.splitlines() if line.startswith("Error: ")]
    if c.error:
        assert errors and errors[-1] == ctx.fmt(c.error)
    else:
        assert errors == []
    if c.keeps_models:
        assert digest(ctx.packages.parent) == before
        listed = CliRunner().invoke(main, ["models", "list"])
        assert any(line.startswith("ko→en  translate-ko_en-1_0 1.0  ") for line in listed.stdout.splitlines())
    if c.check:
        c.check(ctx, stdout, stderr)


def test_every_case_has_a_unique_name() -> None:
    names = [c.name for c in CASES]
    assert len(names) == len(set(names)) and len(names) >= 40
