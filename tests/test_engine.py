from __future__ import annotations

import csv
import os
import socket
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from toolkit.core.errors import ModelError
from toolkit.mt import engine
from toolkit.mt.engine import CTranslate2Translator, Translator, load_translator
from toolkit.mt.models import InstalledPackage, install_file
from toolkit.mt.segmentation import split_sentences
from toolkit.testing import FakeTranslator, build_copy_package, isolated_argos_env

# ../shared beside the project (CI lays it there too); tests using it skip without it
SHARED = Path(__file__).resolve().parents[2] / "shared"
PARALLEL = SHARED / "corpus" / "parallel_news" / "kepark_news_koen_sample173.tsv"
KO_PARAGRAPH = (
    "창원특례시는 25일 시청 대회의실에서 방위산업 육성 협약식을 열었다고 밝혔다. "
    "시장은 “방산 기업과 함께 세계 시장에 진출하겠다”고 말했다. "
    "왜 지금 혁신이 필요한가요? 예산 3조 5천억 원 가운데 2.5%를 투자한다.\n"
    "문의: 방위산업과 055-225-0000"
)
EN_PARAGRAPH = (
    "Changwon Special City announced on Nov. 25 that it signed a defense agreement. "
    '"We will enter the global market," the mayor said. Mr. Kim of Hanwha Co., Ltd. agreed.'
)


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[InstalledPackage]:
    tmp = tmp_path_factory.mktemp("engine")
    with pytest.MonkeyPatch.context() as mp:
        for key, value in isolated_argos_env(tmp / "argos").items():
            mp.setenv(key, value)
        started = time.perf_counter()
        path = build_copy_package(tmp / "build")
        build_ms = (time.perf_counter() - started) * 1000
        print(f"\ncopy package built in {build_ms:.0f} ms")
        assert build_ms < 5000  # "well under a second" warm; generous for slow CI
        engine.clear_translator_cache()
        yield install_file(path)
        engine.clear_translator_cache()


@pytest.fixture
def translator(installed: InstalledPackage) -> Translator:
    return load_translator("ko", "en")


def _best(translator: Translator, sentences: list[str]) -> list[str]:
    return [hyps[0] for hyps in translator.translate_batch(sentences)]


def test_copy_package_is_deterministic(tmp_path: Path) -> None:
    a = build_copy_package(tmp_path / "a")
    b = build_copy_package(tmp_path / "b")
    assert a.read_bytes() == b.read_bytes()
    with zipfile.ZipFile(a) as zf:
        names = set(zf.namelist())
    assert {
        "translate-ko_en-1_0/metadata.json",
        "translate-ko_en-1_0/model/model.bin",
        "translate-ko_en-1_0/sentencepiece.model",
    } <= names


def test_load_translator_is_cached(translator: Translator, installed: InstalledPackage) -> None:
    assert load_translator("ko", "en") is translator
    assert translator.model_id == installed.model_id


def test_copies_korean_and_english_paragraphs(translator: Translator) -> None:
    for text, lang in ((KO_PARAGRAPH, "ko"), (EN_PARAGRAPH, "en")):
        sentences = split_sentences(text, lang)
        assert len(sentences) >= 3
        assert _best(translator, sentences) == sentences
        assert "".join(_best(translator, sentences)) == text


def test_copies_underscores_accents_digits_and_punctuation(translator: Translator) -> None:
    sentences = [
        "file_name_v2.docx 와 snake_case_id 는 그대로.",
        "Łódź, źrebię, Győr, őrség — Ærø & naïve café.",
        "12,345.67 (+3.5%) [A-1] {x} <b> #7 @ 50% ~ ^ | \\ / ' ` “quotes” ‘single’ 「괄호」…",
        "tab\tinside  double  spaces",
        "😀 emoji ✓ and 漢字 かな",
    ]
    assert _best(translator, sentences) == sentences


def test_long_sentence_is_not_truncated(translator: Translator) -> None:
    assert isinstance(translator, CTranslate2Translator)
    sentence = " ".join(f"방위산업 {i}번 협약 item_{i} Łódź" if i % 2 else f"Korea {i}" for i in range(30))
    pieces = translator.count_tokens(sentence)
    assert 280 <= pieces <= 400  # beyond argos's silent 256-token cut, below our split limit
    assert _best(translator, [sentence]) == [sentence]


def test_overlong_sentence_is_split_and_rejoined(
    installed: InstalledPackage, monkeypatch: pytest.MonkeyPatch
) -> None:
    small = CTranslate2Translator(installed, max_segment_tokens=40)
    sentence = ", ".join(f"방위산업 육성 협약 {i}호 체결" for i in range(30)) + "."
    assert small.count_tokens(sentence) > 200
    seen: list[int] = []
    real = small._model.translate_batch

    def spy(sources: list[list[str]], **kwargs: Any) -> Any:
        seen.extend(len(s) for s in sources)
        return real(sources, **kwargs)

    monkeypatch.setattr(small, "_model", type("M", (), {"translate_batch": staticmethod(spy)}))
    assert small.translate_batch([sentence]) == [[sentence]]
    assert len(seen) > 5
    assert max(seen) <= 40


def test_whitespace_is_kept_and_blank_sentences_skip_the_model(
    installed: InstalledPackage, monkeypatch: pytest.MonkeyPatch
) -> None:
    tr = CTranslate2Translator(installed)
    sources: list[list[str]] = []
    real = tr._model.translate_batch

    def spy(batch: list[list[str]], **kwargs: Any) -> Any:
        sources.extend(batch)
        return real(batch, **kwargs)

    monkeypatch.setattr(tr, "_model", type("M", (), {"translate_batch": staticmethod(spy)}))
    sentences = ["", "   ", " \n", "  앞뒤 공백. \n", "x"]
    assert tr.translate_batch(sentences, num_hypotheses=2)[:3] == [
        ["", ""],
        ["   "] * 2,
        [" \n"] * 2,
    ]
    assert tr.translate_batch(sentences)[3:] == [["  앞뒤 공백. \n"], ["x"]]
    assert len(sources) == 4  # two calls x two non-blank sentences, stripped
    assert sources[0] == tr._sp.encode("앞뒤 공백.", out_type=str)

    def fail(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("model must not be called")

    monkeypatch.setattr(tr, "_model", type("M", (), {"translate_batch": staticmethod(fail)}))
    assert tr.translate_batch(["", "  "]) == [[""], ["  "]]
    assert tr.translate_batch([]) == []


def test_language_prefixes_are_sent_and_stripped_for_every_hypothesis(
    installed: InstalledPackage, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Packages with source/target prefix tokens (multilingual models): the source gets
    its prefix, every hypothesis loses the target ones, and the pieces of a split
    sentence are joined hypothesis by hypothesis."""
    tr = CTranslate2Translator(installed, max_segment_tokens=8)
    monkeypatch.setattr(tr, "source_prefix", "__ko__")
    monkeypatch.setattr(tr, "target_prefix", "__en__")
    calls: list[tuple[list[list[str]], dict[str, Any]]] = []

    def fake(sources: list[list[str]], **options: Any) -> list[Any]:
        calls.append((sources, options))
        results = []
        for i, source in enumerate(sources):
            words = tr._sp.decode(source[1:])
            best = ["__en__", *tr._sp.encode(f"<{words}>", out_type=str)]
            second = ["__en__", "__en__", *tr._sp.encode(f"[{words}]", out_type=str)]
            results.append(type("R", (), {"hypotheses": [best] if i == 0 else [best, second]})())
        return results

    monkeypatch.setattr(tr, "_model", type("M", (), {"translate_batch": staticmethod(fake)}))
    long = "가나다 라마바 사아자 차카타 파하 가나다 라마바 사아자 차카타 파하"
    assert tr.count_tokens(long) > 8
    out = tr.translate_batch(["첫째.", long], num_hypotheses=2)
    ((sources, options),) = calls
    assert all(source[0] == "__ko__" for source in sources)
    assert options["target_prefix"] == [["__en__"]] * len(sources)
    assert options["num_hypotheses"] == 2
    assert out[0] == ["<첫째.>"]
    pieces = [tr._sp.decode(source[1:]) for source in sources[1:]]
    assert len(pieces) >= 2 and " ".join(pieces) == long
    assert out[1] == [" ".join(f"<{p}>" for p in pieces), " ".join(f"[{p}]" for p in pieces)]


def test_num_hypotheses(translator: Translator) -> None:
    sentences = ["국방부는 발표했다.", "The city agreed."]
    result = translator.translate_batch(sentences, num_hypotheses=3)
    assert [len(h) for h in result] == [3, 3]
    assert [h[0] for h in result] == sentences
    assert all(len(set(h)) == 3 for h in result)  # distinct alternatives, best first


@pytest.mark.skipif(not PARALLEL.exists(), reason="shared corpus not available")
def test_thirty_corpus_sentences_round_trip(translator: Translator) -> None:
    with PARALLEL.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))[:30]
    sentences = [row["ko"] for row in rows]
    started = time.perf_counter()
    assert _best(translator, sentences) == sentences
    print(f"\n30 sentences translated in {(time.perf_counter() - started) * 1000:.0f} ms")


def test_missing_pair_message(installed: InstalledPackage) -> None:
    expected = (
        "no en→ko model installed; run 'presspack models install en ko' (online) "
        "or 'presspack models install FILE.argosmodel'"
    )
    with pytest.raises(ModelError) as info:
        load_translator("en", "ko")
    assert info.value.problems[0].what == expected
    assert expected in str(info.value)


def test_translation_opens_no_socket(installed: InstalledPackage, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_network(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("network access during translation")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket.socket, "connect_ex", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(socket, "getaddrinfo", no_network)
    engine.clear_translator_cache()
    tr = load_translator("ko", "en")
    assert _best(tr, ["네트워크 없이 번역한다."]) == ["네트워크 없이 번역한다."]


def test_engine_import_and_translation_stay_light(installed: InstalledPackage) -> None:
    code = (
        "import sys, toolkit.mt.engine as e\n"
        "assert 'ctranslate2' not in sys.modules, 'import toolkit.mt.engine loaded ctranslate2'\n"
        "print(e.load_translator('ko', 'en').translate_batch(['가벼운 번역.'])[0][0])\n"
    )
    out = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", code],
        env=dict(os.environ),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip() == "가벼운 번역."
    imported = {line.split("|")[-1].strip() for line in out.stderr.splitlines() if "|" in line}
    assert "ctranslate2" in imported  # sanity: importtime output was parsed
    heavy = {m for m in imported if m.split(".")[0] in {"torch", "stanza", "spacy"}}
    assert heavy == set()
    assert "argostranslate.translate" not in imported


def test_fake_translator() -> None:
    fake = FakeTranslator({"안녕.": "Hello."})
    assert fake.model_id == "fake"
    assert fake.translate_batch([" 안녕. ", "모름.", "  "], num_hypotheses=2) == [
        [" Hello. ", " Hello. [2] "],
        ["모름.", "모름. [2]"],
        ["  ", "  "],
    ]
    upper = FakeTranslator(str.upper, model_id="upper")
    assert upper.translate_batch(["abc"]) == [["ABC"]]
    assert upper.calls == [["abc"]]
    translator: Translator = upper  # satisfies the protocol
    assert translator.model_id == "upper"


def test_damaged_model_gives_model_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, installed: InstalledPackage
) -> None:
    for key, value in isolated_argos_env(tmp_path / "argos").items():
        monkeypatch.setenv(key, value)
    pkg = install_file(build_copy_package(tmp_path / "b", "en", "ko"))
    (pkg.path / "model" / "model.bin").write_bytes(b"\0" * 10)
    engine.clear_translator_cache()
    with pytest.raises(ModelError) as info:
        load_translator("en", "ko")
    problem = info.value.problems[0]
    assert problem.file == str(pkg.path)
    assert problem.what.startswith("cannot load the CTranslate2 model (")
    assert problem.fix == (
        "reinstall it with 'presspack models install en ko' or 'presspack models install FILE.argosmodel'"
    )
    engine.clear_translator_cache()
