from __future__ import annotations

import csv
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.mt.segmentation import split_overlong, split_sentences

# ../shared beside the project (CI lays it there too); tests using it skip without it
CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"


def _parallel_rows() -> list[dict[str, str]]:
    path = CORPUS / "parallel_news" / "kepark_news_koen_sample173.tsv"
    if not path.exists():
        return []
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))


def _korean_news() -> list[Path]:
    paths = (CORPUS / "korean_news").glob("*.txt")
    return sorted(p for p in paths if not p.name.endswith(".source.txt"))


@pytest.mark.skipif(not _parallel_rows(), reason="shared corpus not available")
def test_parallel_corpus_is_lossless_and_mostly_one_sentence_per_row() -> None:
    rows = _parallel_rows()
    assert len(rows) > 100
    single = 0
    for row in rows:
        for lang in ("ko", "en"):
            text = row[lang]
            pieces = split_sentences(text, lang)
            assert "".join(pieces) == text
            assert all(pieces)
        single += len(split_sentences(row["en"], "en")) == 1
    # rows are single sentences: nearly all must stay whole
    assert single >= 0.9 * len(rows)


@pytest.mark.skipif(not _korean_news(), reason="shared corpus not available")
@pytest.mark.parametrize("path", _korean_news(), ids=lambda p: p.name)
def test_korean_news_is_lossless(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    pieces = split_sentences(text, "ko")
    assert "".join(pieces) == text
    assert len(pieces) > 3
    for piece in pieces:
        body = piece.rstrip()
        # every break is at a line break or after sentence-final punctuation (+ closers)
        assert piece.endswith("\n") or piece is pieces[-1] or body[-1] in '.?!…"”’)」'


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        (
            "국방부는 25일 발표했다. 시민들은 환영했다.",
            "ko",
            ["국방부는 25일 발표했다. ", "시민들은 환영했다."],
        ),
        (
            "정말 그런가요? 네, 그렇습니다. 왜 지금입니까? 지금이 적기입니다!",
            "ko",
            ["정말 그런가요? ", "네, 그렇습니다. ", "왜 지금입니까? ", "지금이 적기입니다!"],
        ),
        (
            '국방부는 "안전을 지킬 수 있습니다. 능력이 강화될 것입니다."라고 하였다. 다음이다.',
            "ko",
            [
                '국방부는 "안전을 지킬 수 있습니다. 능력이 강화될 것입니다."라고 하였다. ',
                "다음이다.",
            ],
        ),
        (
            "시장은 “함께 갑시다. 세계로 갑시다.”라고 말했다. 박수가 이어졌다.",
            "ko",
            ["시장은 “함께 갑시다. 세계로 갑시다.”라고 말했다. ", "박수가 이어졌다."],
        ),
        (
            "「창원시 조례. 제3조」에 따른다. ‘방산. 혁신’ 전략이다. 끝.",
            "ko",
            ["「창원시 조례. 제3조」에 따른다. ", "‘방산. 혁신’ 전략이다. ", "끝."],
        ),
        (
            "물가가 3.5% 올랐다. 지난해는 2.1%였다.",
            "ko",
            ["물가가 3.5% 올랐다. ", "지난해는 2.1%였다."],
        ),
        (
            "국방부, 사드 배치 부지 발표\n국방부는 발표했다.",
            "ko",
            ["국방부, 사드 배치 부지 발표\n", "국방부는 발표했다."],
        ),
        (
            "The U.S. Navy met Mr. Kim and Dr. Lee on Nov. 25 at No. 3 pier. It went well.",
            "en",
            ["The U.S. Navy met Mr. Kim and Dr. Lee on Nov. 25 at No. 3 pier. ", "It went well."],
        ),
        (
            "Prices rose 3.5% in 2023. The city invests, e.g. in drones.",
            "en",
            ["Prices rose 3.5% in 2023. ", "The city invests, e.g. in drones."],
        ),
        (
            "Hanwha Aerospace Co., Ltd. and LIG Nex1 Inc. signed. They will export.",
            "en",
            ["Hanwha Aerospace Co., Ltd. and LIG Nex1 Inc. signed. ", "They will export."],
        ),
        (
            "It was built in the U.S. The company said so.",
            "en",
            ["It was built in the U.S. ", "The company said so."],
        ),
        (
            'He said, "It is good. We go." Then he left. "Why?" she asked.',
            "en",
            ['He said, "It is good. We go." ', "Then he left. ", '"Why?" she asked.'],
        ),
        (
            "“We will win,” the mayor said. (See the annex.) Next.",
            "en",
            ["“We will win,” the mayor said. ", "(See the annex.) ", "Next."],
        ),
        (
            "Wait... what happened? Well... It ended.  Really?! Yes.",
            "en",
            ["Wait... what happened? ", "Well... ", "It ended.  ", "Really?! ", "Yes."],
        ),
        (
            "  Leading space stays. 1. First item here. Trailing space.   ",
            "en",
            ["  Leading space stays. ", "1. First item here. ", "Trailing space.   "],
        ),
    ],
)
def test_tricky_cases(text: str, lang: str, expected: list[str]) -> None:
    assert split_sentences(text, lang) == expected


def test_empty_and_whitespace() -> None:
    assert split_sentences("", "en") == []
    assert split_sentences("   ", "ko") == ["   "]
    assert split_sentences("no terminator", "en") == ["no terminator"]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list('ab 가다요.?!…"“”‘’「」()\n3%,;고 ')), max_size=80))
def test_split_sentences_never_loses_characters(text: str) -> None:
    for lang in ("ko", "en"):
        pieces = split_sentences(text, lang)
        assert "".join(pieces) == text
        assert all(pieces)


def _words(text: str) -> int:
    return len(text.split())


def test_split_overlong_prefers_semicolon_then_comma() -> None:
    sentence = "alpha beta gamma, delta epsilon; zeta eta theta, iota kappa lambda"
    pieces = split_overlong(sentence, _words, 5)
    # "; " first (the left half then fits), then ", " inside the right half
    assert pieces == ["alpha beta gamma, delta epsilon; ", "zeta eta theta, ", "iota kappa lambda"]


def test_split_overlong_korean_connectives() -> None:
    sentence = "시는 예산을 늘리고 기업을 지원하며 인력을 양성하면서 수출을 돕지만 과제가 남았다."
    pieces = split_overlong(sentence, _words, 3)
    assert "".join(pieces) == sentence
    assert pieces == [
        "시는 예산을 늘리고 ",
        "기업을 지원하며 ",
        "인력을 양성하면서 ",
        "수출을 돕지만 ",
        "과제가 남았다.",
    ]


def test_split_overlong_short_sentence_untouched() -> None:
    assert split_overlong("short one", _words, 5) == ["short one"]


def test_split_overlong_falls_back_to_last_space_before_limit() -> None:
    sentence = " ".join(f"w{i}" for i in range(10))
    pieces = split_overlong(sentence, _words, 4)
    assert "".join(pieces) == sentence
    assert all(_words(p) <= 4 for p in pieces)
    assert pieces[0] == "w0 w1 w2 w3 "


def test_split_overlong_without_spaces_splits_characters_losslessly() -> None:
    sentence = "가" * 50
    pieces = split_overlong(sentence, len, 8)
    assert "".join(pieces) == sentence
    assert all(len(p) <= 8 for p in pieces)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab 가고며, ;.")), max_size=120), st.integers(1, 6))
def test_split_overlong_is_lossless_and_fits(text: str, limit: int) -> None:
    pieces = split_overlong(text, len, limit)
    assert "".join(pieces) == text
    assert all(len(p) <= limit for p in pieces) or len(text) <= 1


# --------------------------------------------------------------------------- linear time


class _Counter:
    """A token counter (about four characters a token) that counts the characters it is shown."""

    def __init__(self) -> None:
        self.chars = 0
        self.calls = 0

    def __call__(self, text: str) -> int:
        self.chars += len(text)
        self.calls += 1
        return len(text) // 4 + text.count(" ") // 2 + 1


def _paragraph(n: int, words: tuple[str, ...]) -> str:
    out: list[str] = []
    size = 0
    i = 0
    while size < n:
        word = words[(i * 7 + i // 3) % len(words)]
        out.append(word)
        size += len(word) + 1
        i += 1
    return " ".join(out)[:n]


NO_BOUNDARY = ("defense", "industry", "export", "growth", "city", "markets", "global", "agreement")
CLAUSES = ("창원특례시는", "방산", "기업과", "함께", "진출하고", "수출", "경쟁력을", "추진하며", "높이며,")


@pytest.mark.parametrize(
    "words", [NO_BOUNDARY, CLAUSES, ("가" * 5000,)], ids=["hard", "clauses", "no-spaces"]
)
def test_split_overlong_work_grows_linearly(words: tuple[str, ...]) -> None:
    """Characters tokenized per input character stay constant as the paragraph grows 16-fold
    (the old splitter tokenized every prefix: 6,000 characters took 37 s, 15,000 took 227 s)."""
    per_char = []
    for n in (6_000, 24_000, 96_000):
        text = _paragraph(n, words)
        counter = _Counter()
        pieces = split_overlong(text, counter, 150)
        assert "".join(pieces) == text
        assert all(counter(p) <= 150 for p in pieces)
        per_char.append(counter.chars / n)
    assert max(per_char) <= 1.25 * min(per_char)
    assert max(per_char) < 40  # a bounded number of looks at each character
