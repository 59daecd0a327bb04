"""Every command documents itself, and the docs' commands exist."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from toolkit.cli import main

ROOT = Path(__file__).resolve().parents[1]


def all_commands() -> list[tuple[str, ...]]:
    found: list[tuple[str, ...]] = []

    def walk(cmd: click.Command, path: tuple[str, ...]) -> None:
        found.append(path)
        if isinstance(cmd, click.Group):
            for name, sub in sorted(cmd.commands.items()):
                walk(sub, (*path, name))

    walk(main, ())
    return found


@pytest.mark.parametrize("path", all_commands(), ids=lambda p: " ".join(p) or "presspack")
def test_every_command_has_help_with_an_example(path: tuple[str, ...]) -> None:
    result = CliRunner().invoke(main, [*path, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage: " in result.output
    cmd: click.Command = main
    for name in path:
        assert isinstance(cmd, click.Group)
        cmd = cmd.commands[name]
    assert cmd.help, f"{' '.join(path)} has no docstring"
    if not isinstance(cmd, click.Group) or not path:
        assert "presspack " in result.output, "help must show an example command line"


def test_help_does_not_import_heavy_modules() -> None:
    code = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from toolkit.cli import main\n"
        "r = CliRunner().invoke(main, ['--help'])\n"
        "assert r.exit_code == 0\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in "
        "{'torch', 'stanza', 'spacy', 'reportlab', 'ctranslate2', 'docx', 'argostranslate'})\n"
        "print(','.join(heavy))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_python_dash_m_toolkit() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "toolkit", "--version"], capture_output=True, text=True, check=True
    )
    assert out.stdout.startswith("presspack, version ")


def test_readme_starts_with_the_two_setup_commands() -> None:
    text = (ROOT / "README.md").read_text("utf-8")
    setup = text.split("## Set up", 1)[1].split("```bash", 1)[1].split("```", 1)[0]
    commands = [ln for ln in setup.splitlines() if ln.strip() and not ln.startswith("#")]
    assert len(commands) == 2
    assert "pip install -e '.[test]'" in commands[0]
    assert "presspack build releases/" in commands[0]
    assert "torch" not in commands[0]  # the default install never pulls torch
    assert "pytest" in commands[1]
    ci = (ROOT / ".ci" / "run").read_text("utf-8")
    assert "presspack build releases/ --out out/" in ci and "pytest" in ci


def test_bundled_default_style_is_the_projects_default() -> None:
    from toolkit.core.config import bundled_templates

    shipped = (bundled_templates() / "default" / "style.toml").read_bytes()
    assert shipped == (ROOT / "templates" / "default" / "style.toml").read_bytes(), (
        "copy templates/default/style.toml to toolkit/data/templates/default/"
    )
