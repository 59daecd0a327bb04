"""What `pip install presspack` installs: the wheel holds the whole package.

Every other test runs on the editable install, which maps the source tree as it
is, so a subpackage left out of the wheel (a package list naming only the top
package, a folder without ``__init__.py``) passed every test while a real install
failed at once with ``No module named 'toolkit.core'``. The wheel is built here
offline, from a copy of the sources, with the setuptools of the test environment.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> zipfile.ZipFile:
    work = tmp_path_factory.mktemp("wheel")
    src = work / "src"
    src.mkdir()
    shutil.copytree(ROOT / "toolkit", src / "toolkit", ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, src / name)
    offline = ["--no-deps", "--no-build-isolation", "--no-index"]
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", *offline, "-w", str(work / "dist"), str(src)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    (built,) = (work / "dist").glob("presspack-*.whl")
    return zipfile.ZipFile(built)


def _package_files() -> set[str]:
    return {
        p.relative_to(ROOT).as_posix()
        for p in (ROOT / "toolkit").rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"
    }


def test_the_wheel_holds_every_module_and_data_file_of_the_package(wheel: zipfile.ZipFile) -> None:
    inside = {name for name in wheel.namelist() if name.startswith("toolkit/")}
    assert _package_files() - inside == set()
    assert "toolkit/py.typed" in inside


def test_every_folder_of_modules_is_a_regular_package() -> None:
    """A folder without __init__.py is a namespace package: setuptools leaves it out."""
    folders = {p.parent for p in (ROOT / "toolkit").rglob("*.py") if "__pycache__" not in p.parts}
    assert sorted(str(f.relative_to(ROOT)) for f in folders if not (f / "__init__.py").is_file()) == []


def test_the_wheel_declares_the_console_script(wheel: zipfile.ZipFile) -> None:
    (entry_points,) = [n for n in wheel.namelist() if n.endswith(".dist-info/entry_points.txt")]
    lines = wheel.read(entry_points).decode("utf-8").splitlines()
    assert lines[lines.index("[console_scripts]") + 1] == "presspack = toolkit.__main__:run"
