"""Normalization at the inputs: NFC text, garbled text reported with file:line."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest
from click.testing import CliRunner

from toolkit.cli import main
from toolkit.sources import load_release

ROOT = Path(__file__).resolve().parents[1]
MD = "---\ntitle: 협약\nlang: ko\n---\n\n창원특례시는 방위사업청과 협약을 맺었다.\n\n국방부가 환영했다.\n"


def test_nfd_markdown_is_read_as_nfc_with_one_warning(tmp_path: Path) -> None:
    path = tmp_path / "release.ko.md"
    path.write_text(unicodedata.normalize("NFD", MD), "utf-8")
    loaded = load_release(path)
    assert loaded.release.body[0].text == "창원특례시는 방위사업청과 협약을 맺었다."
    assert loaded.release.meta.title == "협약"
    (warning,) = loaded.warnings
    assert (warning.line, warning.severity) == (2, "warning")
    assert "NFD" in warning.what and "more lines" in warning.what


def test_mojibake_and_entities_in_plain_text_are_reported_by_line(tmp_path: Path) -> None:
    path = tmp_path / "release.txt"
    path.write_text("제목\n\n¡°북한¡± 관리는 말했다.\n\n6자 회담 &#8212; 재개\n", "utf-8")
    warnings = load_release(path).warnings
    assert [(w.line, w.what) for w in warnings] == [
        (3, "looks like mojibake ('¡°')"),
        (5, "contains the HTML entity '&#8212;', which prints literally"),
    ]
    result = CliRunner().invoke(main, ["build", str(path), "--out", str(tmp_path / "out"), "--check"])
    assert f"Warning: {path}:3: looks like mojibake ('¡°') — " in result.stderr
    assert f"Warning: {path}:5: contains the HTML entity '&#8212;'" in result.stderr


def test_entities_are_markdown_in_markdown(tmp_path: Path) -> None:
    path = tmp_path / "release.ko.md"
    path.write_text(MD.replace("환영했다", "R&amp;D를 환영했다"), "utf-8")
    assert load_release(path).warnings == ()


@pytest.mark.usefixtures("copy_models")
def test_stdin_is_normalized_and_checked() -> None:
    text = unicodedata.normalize("NFD", "창원시는 ¡°환영¡± 했다.") + "\n"
    result = CliRunner().invoke(
        main, ["translate", "-", "--to", "en", "--glossary", str(ROOT / "glossary.csv"), "--json"], input=text
    )
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["text"].startswith("Changwon Special City는")
    garbled = [f for f in report["findings"] if f["check"] == "suspicious-text"]
    assert [(f["file"], f["line"], f["severity"]) for f in garbled] == [
        ("<stdin>", 1, "warning"),
        ("<stdin>", 1, "warning"),
    ]
