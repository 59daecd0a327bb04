"""Long titles and contacts render in full (DOCX properties truncated, tall table rows split).

The 3,000-line contact is a case of the hostile corpus (tests/hostile).
"""

from __future__ import annotations

import subprocess
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from toolkit.cli import main

CP_NS = "{http://schemas.openxmlformats.org/package/2006/metadata/core-properties}"
DC_NS = "{http://purl.org/dc/elements/1.1/}"


def build_one(tmp_path: Path, lang: str, front: str, body: str) -> Path:
    folder = tmp_path / "long"
    folder.mkdir()
    (folder / f"release.{lang}.md").write_text(f"---\nlang: {lang}\n{front}---\n\n{body}\n", "utf-8")
    result = CliRunner().invoke(main, ["build", str(folder), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.stderr
    return tmp_path / "out" / "long" / f"long.{lang}"


def out(base: Path, fmt: str) -> Path:
    return base.with_name(f"{base.name}.{fmt}")


def core(docx: Path) -> dict[str, str]:
    from xml.etree import ElementTree as ET

    with zipfile.ZipFile(docx) as zf:
        root = ET.fromstring(zf.read("docProps/core.xml"))
    return {el.tag.replace(DC_NS, "dc:").replace(CP_NS, "cp:"): el.text or "" for el in root}


def pdf_text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def docx_text(docx: Path) -> str:
    import docx as python_docx

    document = python_docx.Document(str(docx))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_titles_and_organizations_over_255_characters(tmp_path: Path, lang: str) -> None:
    title = ("창원특례시 방산 포럼 개최 " if lang == "ko" else "Changwon holds defense forum ") * 20
    org = (
        "창원특례시 방위산업과 " if lang == "ko" else "Changwon Special City Defense Industry Division "
    ) * 30
    subtitle = "부제 " * 200 if lang == "ko" else "Subtitle " * 100
    body = "본문이다." if lang == "ko" else "Body text."
    base = build_one(
        tmp_path,
        lang,
        f"title: {title}\norganization: {org}\nsubtitle: {subtitle}\ndateline: {'CHANGWON ' * 40}\n",
        body,
    )
    props = core(out(base, "docx"))
    for key, full in (("dc:title", title), ("dc:creator", org), ("dc:subject", subtitle)):
        value = props[key]
        flat = " ".join(full.split())
        assert len(value) == 255 and value.endswith("…")
        assert flat.startswith(value[:-1])
    flat_title = " ".join(title.split())
    assert flat_title in " ".join(docx_text(out(base, "docx")).split())
    assert flat_title.replace(" ", "") in pdf_text(out(base, "pdf")).replace("\n", "").replace(" ", "")


def test_a_contact_of_one_endless_word(tmp_path: Path) -> None:
    base = build_one(tmp_path, "ko", f"title: 제목\ncontact: {'가' * 20000}\n", "본문이다.")
    assert pdf_text(out(base, "pdf")).count("가") == 20000
