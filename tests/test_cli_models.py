"""`presspack models …` as an office admin uses it (air-gapped and online)."""

from __future__ import annotations

import http.server
import json
import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from toolkit.cli import main


def run(args: list[str], env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, args, env=env)
    return result.exit_code, result.stdout, result.stderr


def tree(path: Path) -> list[str]:
    return sorted(str(p.relative_to(path)) for p in path.rglob("*")) if path.exists() else []


@pytest.fixture
def index_server(copy_model_files: dict[str, Path]) -> Iterator[str]:
    folder = copy_model_files["ko-en"].parent

    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, directory=str(folder), **kwargs)  # type: ignore[arg-type]

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    (folder / "index.json").write_text(
        json.dumps(
            [
                {
                    "from_code": "ko",
                    "to_code": "en",
                    "package_version": "1.0",
                    "links": [base + copy_model_files["ko-en"].name],
                }
            ]
        ),
        "utf-8",
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield base
    server.shutdown()


def test_install_file_list_remove(argos_home: Path, copy_model_files: dict[str, Path]) -> None:
    code, out, err = run(["models", "install", str(copy_model_files["ko-en"])])
    assert code == 0, err
    assert out.startswith("installed ko→en")
    code, out, _ = run(["models", "list", "--json"])
    assert [(m["from"], m["to"]) for m in json.loads(out)] == [("ko", "en")]
    assert run(["models", "remove", "ko", "en"])[0] == 0
    code, _, err = run(["models", "remove", "ko", "en"])
    assert code == 1 and "no ko→en model installed" in err


def test_bad_archives_leave_packages_dir_untouched(argos_home: Path, tmp_path: Path) -> None:
    from toolkit.mt.models import packages_dir

    before = tree(argos_home)
    corrupt = tmp_path / "corrupt.argosmodel"
    corrupt.write_bytes(b"PK\x03\x04garbage")
    # Packages are unpacked into <packages dir>/../.presspack-staging-*/new/ and that
    # folder is deleted afterwards, so the member climbs out of all of it: from
    # new/pkg/ back up to tmp_path, where an unchecked extraction would leave it.
    climb = len(packages_dir().relative_to(tmp_path).parts) + 2
    escaping = tmp_path / "evil.argosmodel"
    with zipfile.ZipFile(escaping, "w") as zf:
        # otherwise a valid package: only the escaping member may be what refuses it
        zf.writestr("pkg/metadata.json", json.dumps({"from_code": "ko", "to_code": "en"}))
        zf.writestr("pkg/model/model.bin", "x")
        zf.writestr("pkg/sentencepiece.model", "y")
        zf.writestr("pkg/" + "../" * climb + "evil.txt", "owned")
    for archive in (corrupt, escaping):
        code, _, err = run(["models", "install", str(archive)])
        assert code == 1
        assert err.startswith(f"Error: {archive}") and "Traceback" not in err
    assert tree(argos_home) == before
    assert list(tmp_path.rglob("evil.txt")) == []


def test_install_from_loopback_index(argos_home: Path, index_server: str) -> None:
    code, out, err = run(["models", "install", "ko", "en"], env={"ARGOS_PACKAGE_INDEX": index_server})
    assert code == 0, err
    assert out.startswith("installed ko→en")


def test_unreachable_index_fails_fast_with_clear_message(argos_home: Path) -> None:
    code, _, err = run(
        ["models", "install", "ko", "en", "--timeout", "3"],
        env={"ARGOS_PACKAGE_INDEX": "http://127.0.0.1:9/"},
    )
    assert code == 1
    assert "Error: cannot reach the package index at http://127.0.0.1:9/index.json" in err
    assert "presspack models install FILE.argosmodel" in err


def test_usage_error_for_bad_arguments(argos_home: Path) -> None:
    code, _, err = run(["models", "install", "ko", "fr"])
    assert code == 2
    assert "give FILE.argosmodel, or two language codes such as 'ko en'" in err
