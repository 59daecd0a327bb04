"""Deterministic benchmark inputs: Korean prose, a 20,000-entry glossary, 100 releases.

Everything is generated from the repository's sample releases (plus, when the
shared corpus is present, real Korean news text) with fixed seeds, so two runs
on the same checkout measure the same bytes.
"""

from __future__ import annotations

import random
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

SEED = 20241125
# ../shared beside the project, optional: the bench works without it
CORPUS_DIR = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "korean_news"
PARALLEL_DIR = CORPUS_DIR.parent / "parallel_news"  # ko–en pairs: the English side (optional too)

_FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.S)
_SENTENCE_END = re.compile(r"(?<=[.!?。])\s+|\n+")
_HANGUL = re.compile(r"[\uac00-\ud7a3]")
# A few common particles, so inserted terms sit in sentences the way real nouns do.
_PARTICLES = ("는", "가", "와", "의", "에서", "을", "도", "")


@dataclass(frozen=True)
class Prose:
    text: str
    sentences_available: int
    sources: tuple[str, ...]
    synthetic_terms_inserted: int


def _strip_markdown(text: str) -> str:
    text = _FRONT_MATTER.sub("", text.replace("\r\n", "\n"))
    lines = []
    for line in text.split("\n"):
        line = re.sub(r"^\s*(#{1,6}\s+|[-*]\s+|\d+\.\s+)", "", line)
        lines.append(line)
    return "\n".join(lines)


def korean_sentences(repo: Path, corpus_dir: Path = CORPUS_DIR) -> tuple[list[str], list[str]]:
    """Korean sentences of the sample releases (and the shared news corpus, if any)."""
    sources: list[Path] = sorted(repo.glob("releases/*/release.ko.md"))
    if corpus_dir.is_dir():
        sources += sorted(p for p in corpus_dir.glob("*.txt") if not p.name.endswith(".source.txt"))
    sentences: list[str] = []
    for path in sources:
        text = _strip_markdown(path.read_text("utf-8"))
        for sentence in _SENTENCE_END.split(text):
            sentence = sentence.strip()
            if len(sentence) >= 8 and len(_HANGUL.findall(sentence)) >= 4:
                sentences.append(sentence)
    return sentences, [str(p) for p in sources]


def english_sentences(repo: Path, parallel_dir: Path = PARALLEL_DIR) -> tuple[list[str], list[str]]:
    """English sentences of the sample releases (and of the shared ko–en news pairs, if any).

    For the benchmark model's SentencePiece: a real ko↔en package's model is
    trained on both sides of its parallel data (argos-train concatenates the
    source and target training files), so English words are pieces of it, as
    Korean ones are.
    """
    import csv

    files: list[Path] = sorted(repo.glob("releases/*/release.en.md"))
    sentences: list[str] = []
    for path in files:
        text = _strip_markdown(path.read_text("utf-8"))
        for sentence in _SENTENCE_END.split(text):
            sentence = sentence.strip()
            if len(sentence) >= 8 and not _HANGUL.search(sentence):
                sentences.append(sentence)
    tables = sorted(parallel_dir.glob("*.tsv")) if parallel_dir.is_dir() else []
    for path in tables:
        with path.open(encoding="utf-8", newline="") as fh:
            sentences += [
                row["en"].strip() for row in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
            ]
    return [s for s in sentences if s], [str(p) for p in files + tables]


def synthetic_terms(count: int, exclude: set[str], seed: int = SEED) -> list[tuple[str, str]]:
    """``count`` unique random Hangul terms (2–6 syllables) with English targets."""
    rng = random.Random(seed)
    seen = set(exclude)
    result: list[tuple[str, str]] = []
    while len(result) < count:
        n = rng.randint(2, 6)
        ko = "".join(chr(rng.randint(0xAC00, 0xD7A3)) for _ in range(n))
        if ko in seen:
            continue
        seen.add(ko)
        words = rng.randint(1, 3)
        en = " ".join(
            "".join(
                rng.choice("bcdfghjklmnprstvwz") + rng.choice("aeiou") for _ in range(rng.randint(2, 4))
            ).capitalize()
            for _ in range(words)
        )
        result.append((ko, f"{en} {len(result)}"))
    return result


#: Heads the brief names (public bodies, provinces, defense) get extra weight on
#: top of their real frequency, so the biggest first-two-syllable buckets are big.
_HEAVY_HEADS = ("창원", "경상", "국방", "경남", "방위", "한국", "대한", "해군")


def realistic_terms(
    real: list[str], count: int, exclude: set[str], seed: int = SEED
) -> list[tuple[str, str]]:
    """``count`` unique Hangul terms shaped like the real glossary's Korean column.

    The real terms' first two syllables (창원, 국방, 한국, 경남 …) start the
    synthetic ones with their real frequency (the brief's 창원·경상·국방 weighted
    up), lengths follow the real length distribution, the last syllable follows
    the real endings (시, 구, 군, 사, 청 …) and the middle comes from the real
    terms' syllables. So most synthetic terms share a prefix with real words of
    the text, and the matcher's first-two-syllable table has crowded buckets
    (one head has thousands of terms of a dozen lengths), as a large real
    public-body glossary would.
    """
    hangul = [t for t in real if t and all("\uac00" <= ch <= "\ud7a3" for ch in t)]
    if not hangul:
        raise ValueError("no all-Hangul terms to learn the shape from")
    rng = random.Random(seed)
    heads = [t[:2] for t in hangul if len(t) >= 2]
    heads += [h for h in _HEAVY_HEADS for _ in range(8)]
    lengths = [len(t) for t in hangul if len(t) >= 2]
    endings = [t[-1] for t in hangul]
    middles = [ch for t in hangul for ch in t[1:-1]] or [ch for t in hangul for ch in t]
    seen = set(exclude)
    result: list[tuple[str, str]] = []
    while len(result) < count:
        length = max(3, rng.choice(lengths) + rng.choice((0, 0, 1, 2)))
        body = rng.choice(heads) + "".join(rng.choice(middles) for _ in range(length - 3))
        term = body + rng.choice(endings)
        if term in seen:
            continue
        seen.add(term)
        en = " ".join(
            "".join(rng.choice("bcdfghjklmnprstvwz") + rng.choice("aeiou") for _ in range(rng.randint(2, 4)))
            for _ in range(rng.randint(1, 3))
        ).title()
        result.append((term, f"{en} {len(result)}"))
    return result


def korean_prose(
    sentences: list[str],
    terms: list[str],
    *,
    target_bytes: int = 1 << 20,
    term_every: int = 5,
    seed: int = SEED,
) -> tuple[str, int]:
    """At least ``target_bytes`` of UTF-8 Korean prose in paragraphs of 3–5 sentences.

    Real glossary terms occur at the density of the source sentences; one in
    ``term_every`` sentences also starts with a synthetic glossary term plus a
    particle, so the large glossary's entries really get hit.
    """
    if not sentences:
        raise ValueError("no Korean sentences to build prose from")
    rng = random.Random(seed)
    paragraphs: list[str] = []
    size = 0
    inserted = 0
    count = 0
    while size < target_bytes:
        para: list[str] = []
        for _ in range(rng.randint(3, 5)):
            sentence = rng.choice(sentences)
            count += 1
            if terms and count % term_every == 0:
                sentence = f"{rng.choice(terms)}{rng.choice(_PARTICLES)} {sentence}"
                inserted += 1
            para.append(sentence)
        paragraph = " ".join(para)
        paragraphs.append(paragraph)
        size += len(paragraph.encode("utf-8")) + 2
    return "\n\n".join(paragraphs), inserted


# --------------------------------------------------------------------------- releases

_NUMBER = re.compile(r"(?<![\d\-+.:/])([1-9]\d{1,2})(?![\d\-.:/])")


def _split_front(text: str) -> tuple[str, str]:
    m = _FRONT_MATTER.match(text)
    if m is None:
        return "", text
    return m.group(0), text[m.end() :]


def vary_release(text: str, index: int, date: str) -> str:
    """One variant of a sample release file: new title suffix, date and body numbers.

    The same change is made to both language files of a release, so a translation
    stays a faithful translation (numbers still agree) and no MT is needed.
    """
    front, body = _split_front(text)
    lang_ko = "\nlang: ko\n" in front
    suffix = f" (제{index}차)" if lang_ko else f" (No. {index})"

    def title(m: re.Match[str]) -> str:
        value = m.group(2)
        if value.startswith('"') and value.endswith('"'):
            return f'{m.group(1)}"{value[1:-1]}{suffix}"'
        return f"{m.group(1)}{value}{suffix}"

    front = re.sub(r"(?m)^(title: )(.*)$", title, front, count=1)
    front = re.sub(r"(?m)^date: .*$", f"date: {date}", front, count=1)
    body = _NUMBER.sub(lambda m: str(int(m.group(1)) + index), body)
    return front + body


def make_releases(samples: list[Path], dest: Path, count: int) -> list[Path]:
    """``count`` release folders under ``dest``, cycling through ``samples``."""
    import datetime as dt

    dest.mkdir(parents=True, exist_ok=True)
    start = dt.date(2027, 1, 1)
    folders: list[Path] = []
    for i in range(count):
        sample = samples[i % len(samples)]
        date = (start + dt.timedelta(days=i)).isoformat()
        slug = re.sub(r"^\d{4}-\d{2}-\d{2}-", "", sample.name)
        folder = dest / f"{date}-{slug}-{i + 1:03d}"
        folder.mkdir()
        for src in sorted(sample.glob("release.*.md")):
            text = src.read_text("utf-8")
            (folder / src.name).write_text(vary_release(text, i + 1, date), "utf-8")
        for photo in sorted(sample.iterdir()):  # the photos the releases show come along
            if photo.suffix.lower() in {".jpg", ".jpeg", ".png", ".webp"}:
                shutil.copyfile(photo, folder / photo.name)
        folders.append(folder)
    return folders
