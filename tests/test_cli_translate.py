"""`presspack translate` end to end with copy models (output = input).

With a copy model whatever presspack sends comes back, so every approved term
must appear exactly where its source term was, and nowhere else.
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from toolkit.cli import main

GLOSSARY = """ko,en,category,note
창원특례시,Changwon Special City,place,
창원시,Changwon Special City,place,
방위사업청,Defense Acquisition Program Administration (DAPA),defense,
방위사업청장,Minister of DAPA,title,
창원시장,Mayor of Changwon Special City,title,
서울,Seoul,place,
K9 자주포,K9 Thunder,defense,
"""


@pytest.fixture
def glossary_csv(tmp_path: Path) -> Path:
    path = tmp_path / "held_out.csv"
    path.write_text(GLOSSARY, "utf-8")
    return path


def run(args: list[str], stdin: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, args, input=stdin)
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.usefixtures("copy_models")
class TestStdin:
    @pytest.mark.parametrize(
        ("source", "expected"),
        [
            ("창원시는 협약을 맺었다.", "Changwon Special City는 협약을 맺었다."),
            ("창원특례시에서는 포럼이 열렸다.", "Changwon Special City에서는 포럼이 열렸다."),
            (
                "방위사업청과의 협력이 늘었다.",
                "Defense Acquisition Program Administration (DAPA)과의 협력이 늘었다.",
            ),
            ("방위사업청장은 말했다.", "Minister of DAPA은 말했다."),
            (
                "‘창원시’는 (방위사업청) 소속이 아니다.",
                "‘Changwon Special City’는 (Defense Acquisition Program Administration (DAPA))"
                " 소속이 아니다.",
            ),
            ("양산 체계를 갖췄다.", "양산 체계를 갖췄다."),
            ("신창원 아파트", "신창원 아파트"),
            ("K9 자주포를 수출했다.", "K9 Thunder를 수출했다."),
        ],
    )
    def test_ko_terms_land_exactly_where_the_source_term_was(
        self, glossary_csv: Path, source: str, expected: str
    ) -> None:
        code, out, _ = run(
            ["translate", "-", "--to", "en", "--glossary", str(glossary_csv)], stdin=source + "\n"
        )
        assert code == 0
        assert out == expected + "\n"

    def test_en_to_ko_uses_preferred_korean_and_fixes_particles(self, glossary_csv: Path) -> None:
        code, out, _ = run(
            ["translate", "-", "--to", "ko", "--glossary", str(glossary_csv)],
            stdin="Changwon Special City's forum moved to Seoul.\n",
        )
        assert code == 0
        assert out == "창원특례시의 forum moved to 서울.\n"

    def test_en_to_ko_fixes_korean_particles_after_injected_terms(
        self, glossary_csv: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        # A real engine writes Korean around the injected terms and may pick the
        # particle for the wrong ending: 서울으로 (서울 ends in ㄹ: 로), 창원특례시과
        # (ends in a vowel: 와). The repair pass re-chooses them.
        import toolkit.mt.engine as engine
        from toolkit.testing import FakeTranslator

        seen: list[str] = []

        def engine_output(sentence: str) -> str:
            seen.append(sentence)
            return {
                "The forum moved to 서울.": "포럼은 서울으로 옮겼다.",
                "창원특례시 signed with DAPA.": "창원특례시과 방사청이 협약했다.",
            }[sentence]

        monkeypatch.setattr(engine, "load_translator", lambda src, tgt: FakeTranslator(engine_output))
        code, out, err = run(
            ["translate", "-", "--to", "ko", "--glossary", str(glossary_csv)],
            stdin="The forum moved to Seoul. Changwon Special City signed with DAPA.\n",
        )
        assert code == 0, err
        assert seen == ["The forum moved to 서울.", "창원특례시 signed with DAPA."]  # terms injected first
        assert out == "포럼은 서울로 옮겼다. 창원특례시와 방사청이 협약했다.\n"

    def test_layout_is_kept_and_direction_detected(self, glossary_csv: Path) -> None:
        # No --to: Korean input goes to English (the ko→en glossary applies) ...
        text = "창원시는 포럼을 열었다.  두 번째 문장이다.\n\n   들여쓴 줄\n"
        code, out, _ = run(["translate", "-", "--glossary", str(glossary_csv), "--json"], stdin=text)
        assert code == 0
        data = json.loads(out)
        assert data["text"] == text.replace("창원시", "Changwon Special City")
        # ... and English input goes to Korean (the en→ko glossary applies).
        code, out, _ = run(
            ["translate", "-", "--glossary", str(glossary_csv)],
            stdin="The forum opened in Seoul.\n\n  Changwon Special City hosted it.\n",
        )
        assert code == 0
        assert out == "The forum opened in 서울.\n\n  창원특례시 hosted it.\n"

    def test_json_has_findings_and_strict_fails(self, glossary_csv: Path) -> None:
        code, out, _ = run(
            ["translate", "-", "--to", "en", "--glossary", str(glossary_csv), "--json"],
            stdin="창원시장은 말했다.\n",
        )
        assert code == 0
        data = json.loads(out)
        assert data["text"] == "Mayor of Changwon Special City은 말했다.\n"
        assert "hangul-in-english" in {f["check"] for f in data["findings"]}
        code, _, err = run(
            ["translate", "-", "--to", "en", "--glossary", str(glossary_csv), "--strict"],
            stdin="창원시는 말했다.\n",
        )
        assert code == 1
        assert "in strict mode" in err

    def test_no_network_used(self, glossary_csv: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        def refuse(*args: object, **kwargs: object) -> None:
            raise AssertionError("network access attempted")

        monkeypatch.setattr(socket.socket, "connect", refuse)
        monkeypatch.setattr(socket, "getaddrinfo", refuse)
        code, out, _ = run(
            ["translate", "-", "--to", "en", "--glossary", str(glossary_csv)],
            stdin="창원시는 좋다.\n",
        )
        assert code == 0 and out == "Changwon Special City는 좋다.\n"


@pytest.mark.usefixtures("argos_home")
def test_missing_model_message() -> None:
    code, _, err = run(["translate", "-", "--to", "en"], stdin="창원시는 좋다.\n")
    assert code == 1
    assert err.strip() == (
        "Error: no ko→en model installed; run 'presspack models install ko en' (online) or "
        "'presspack models install FILE.argosmodel'"
    )


@pytest.mark.usefixtures("copy_models")
def test_release_file_round_trip_and_memory(tmp_path: Path, glossary_csv: Path) -> None:
    folder = tmp_path / "rel"
    folder.mkdir()
    src = folder / "release.ko.md"
    src.write_text(
        "---\ntitle: 창원시, 포럼 개최\ndate: 2026-11-05\ndateline: 창원\nlang: ko\n---\n\n"
        "창원시는 포럼을 열었다. 방위사업청도 참석했다.\n\n## 창원특례시 소개\n\n창원시는 도시다.\n",
        "utf-8",
    )
    code, _, err = run(["translate", str(src), "--to", "en", "--glossary", str(glossary_csv)])
    assert code == 0, err
    out = (folder / "release.en.md").read_text("utf-8")
    assert out.startswith(
        "---\ntitle: Changwon Special City, 포럼 개최\ndate: 2026-11-05\ndateline: 창원\nlang: en\n"
        "translation_of: ko\n---\n"
    )
    assert (
        "Changwon Special City는 포럼을 열었다. Defense Acquisition Program Administration (DAPA)도 참석했다."
        in out
    )
    assert "## Changwon Special City 소개" in out
    assert (folder / "release.en.tm.json").exists()
    # a translator edits the English; the source changes elsewhere
    edited = out.replace("Changwon Special City는 포럼을 열었다.", "Changwon Special City hosted a forum.")
    (folder / "release.en.md").write_text(edited, "utf-8")
    src.write_text(
        src.read_text("utf-8").replace("방위사업청도 참석했다.", "방위사업청장도 참석했다."),
        "utf-8",
    )
    code, out_diff, err = run(
        ["translate", str(src), "--to", "en", "--glossary", str(glossary_csv), "--dry-run"]
    )
    assert code == 0, err
    assert (
        "-Changwon Special City hosted a forum. Defense Acquisition Program Administration (DAPA)도 참석했다."
        in out_diff
    )
    assert "+Changwon Special City hosted a forum. Minister of DAPA도 참석했다." in out_diff
    assert (folder / "release.en.md").read_text("utf-8") == edited  # dry run wrote nothing
    code, _, err = run(["translate", str(src), "--to", "en", "--glossary", str(glossary_csv)])
    assert code == 0, err
    final = (folder / "release.en.md").read_text("utf-8")
    assert "Changwon Special City hosted a forum. Minister of DAPA도 참석했다." in final


def test_translate_does_not_import_heavy_modules(
    copy_models: Path, tmp_path: Path, glossary_csv: Path
) -> None:
    import os

    env = dict(os.environ)
    proc = subprocess.run(
        [
            sys.executable,
            "-X",
            "importtime",
            "-m",
            "toolkit",
            "translate",
            "-",
            "--to",
            "en",
            "--glossary",
            str(glossary_csv),
        ],
        input="창원시는 좋다.\n",
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    assert proc.stdout == "Changwon Special City는 좋다.\n"
    imported = {line.split("|")[-1].strip().split(".")[0] for line in proc.stderr.splitlines() if "|" in line}
    assert "ctranslate2" in imported  # the engine really ran
    assert not imported & {"torch", "stanza", "spacy", "argostranslate"}


@pytest.mark.usefixtures("copy_models")
def test_windows_translation_file_keeps_bom_and_crlf(tmp_path: Path) -> None:
    folder = tmp_path / "rel"
    folder.mkdir()
    src = folder / "release.ko.md"
    src.write_text(
        "---\ntitle: 제목이다\nlang: ko\n---\n\n첫 문장이다. 둘째 문장이다.\n\n셋째 문단이다.\n", "utf-8"
    )
    en = folder / "release.en.md"
    en_text = (
        "---\ntitle: The title\nlang: en\ntranslation_of: ko\n---\n\n"
        "First one. Second one.\n\nThird paragraph.\n"
    )
    en.write_bytes(b"\xef\xbb\xbf" + en_text.replace("\n", "\r\n").encode())
    # first run adopts the hand-written translation as-is (and starts its memory)
    code, _, err = run(["translate", str(src), "--to", "en"])
    assert code == 0, err
    assert en.read_bytes() == b"\xef\xbb\xbf" + en_text.replace("\n", "\r\n").encode()
    src.write_text(src.read_text("utf-8").replace("셋째 문단이다.", "셋째 문단을 고쳤다."), "utf-8")
    code, _, err = run(["translate", str(src), "--to", "en"])
    assert code == 0, err
    # the hand-written text stays, flagged with the machine suggestion…
    assert en.read_bytes() == b"\xef\xbb\xbf" + en_text.replace("\n", "\r\n").encode()
    assert f"warning: {en}:9: [tm-review]" in err
    assert "Machine suggestion: “셋째 문단을 고쳤다.”" in err
    # …and taking the suggestion keeps the file's BOM and CRLF line endings
    code, _, err = run(["review", "accept", f"{en}:9"])
    assert code == 0, err
    data = en.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.count(b"\n") == data.count(b"\r\n")
    lines = data.decode("utf-8-sig").split("\r\n")
    assert lines == en_text.replace("Third paragraph.", "셋째 문단을 고쳤다.").split("\n")
