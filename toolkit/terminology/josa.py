"""Korean particles (조사): choose the allomorph that fits the preceding word.

Why: glossary enforcement swaps one noun for another (창원시 → 창원특례시, or an
English term for its Korean equivalent), and Korean particles depend on whether
the last syllable *as read aloud* ends in a consonant (받침): 서울로 but
창원으로; 창원특례시로 (시 has no 받침); ㄹ-final words take 로, not 으로.

Digits and Latin letters are read the Korean way: "K9" ends in 구 (no 받침) →
"K9는"; "KF-21" ends in 일 (ㄹ) → "KF-21은", "KF-21로"; acronyms are read by
letter names (L 엘, M 엠, N 엔, R 알 end in a consonant). Ordinary Latin words
are only guessed where the ending is unambiguous (…n → ㄴ, …ng → ㅇ, …m → ㅁ,
…l → ㄹ, …a/i/o/u → none); otherwise the reading is unknown (None) and
particles are left exactly as written — never guess wrongly.
"""

from __future__ import annotations

_SYL_FIRST = 0xAC00
_SYL_LAST = 0xD7A3
_RIEUL = 8  # index of ㄹ among the 28 final-consonant slots (0 = none)
_OTHER = 1  # any final consonant other than ㄹ (exact identity is irrelevant here)

# Final consonant of the Korean reading of each digit: 영 일 이 삼 사 오 육 칠 팔 구.
_DIGIT_FINAL: dict[str, int] = {
    "0": _OTHER,  # 영 / 공
    "1": _RIEUL,  # 일
    "2": 0,  # 이
    "3": _OTHER,  # 삼
    "4": 0,  # 사
    "5": 0,  # 오
    "6": _OTHER,  # 육
    "7": _RIEUL,  # 칠
    "8": _RIEUL,  # 팔
    "9": 0,  # 구
}

# Korean names of the Latin letters (acronyms are read letter by letter).
_LETTER_FINAL: dict[str, int] = {c: 0 for c in "ABCDEFGHIJKOPQSTUVWXYZ"}
_LETTER_FINAL.update({"L": _RIEUL, "M": _OTHER, "N": _OTHER, "R": _RIEUL})

# Characters skipped at the end of a word before reading it: closing brackets,
# quotes, dots and the like do not change pronunciation.
_TRAILING_SKIP = frozenset(")]}>〉》」』】〕'\"’”.,·ㆍ!?;:…-–— \u00a0")

# Allomorph pairs: (form after a consonant, form after a vowel). Longest first
# so a stacked particle's first element is recognised (으로는 → 으로 + 는).
_PAIRS: tuple[tuple[str, str], ...] = (
    ("이었으며", "였으며"),
    ("이었던", "였던"),
    ("이었다", "였다"),
    ("이라는", "라는"),
    ("이라고", "라고"),
    ("이라도", "라도"),
    ("이라서", "라서"),
    ("이든지", "든지"),
    ("이나마", "나마"),
    ("으로써", "로써"),
    ("으로서", "로서"),
    ("으로부터", "로부터"),
    ("으로", "로"),
    ("이란", "란"),
    ("이랑", "랑"),
    ("이라", "라"),
    ("이나", "나"),
    ("이며", "며"),
    ("이다", "다"),
    ("이고", "고"),
    ("이든", "든"),
    ("이야", "야"),
    ("이에요", "예요"),
    ("은", "는"),
    ("이", "가"),
    ("을", "를"),
    ("과", "와"),
)

# form → (consonant form, vowel form), longest forms first.
_FORMS: tuple[tuple[str, tuple[str, str]], ...] = tuple(
    sorted(
        ((form, pair) for pair in _PAIRS for form in pair),
        key=lambda item: -len(item[0]),
    )
)


def _final_index(word: str) -> int | None:
    """Final-consonant slot of the word's last readable character (0 = none)."""
    end = len(word)
    while end > 0 and word[end - 1] in _TRAILING_SKIP:
        end -= 1
    if end == 0:
        return None
    last = word[end - 1]
    code = ord(last)
    if _SYL_FIRST <= code <= _SYL_LAST:
        return (code - _SYL_FIRST) % 28
    if last.isascii() and last.isdigit():
        return _number_final(word[:end])
    if last.isascii() and last.isalpha():
        return _latin_final(word[:end])
    return None


def _number_final(text: str) -> int:
    """Reading of a trailing digit run: 10 → 십, 100 → 백, 1000 → 천, 10000 → 만."""
    start = len(text)
    while start > 0 and (text[start - 1].isdigit() or text[start - 1] == ","):
        start -= 1
    digits = text[start:].replace(",", "").lstrip("0")
    is_fraction = start > 0 and text[start - 1] == "." and start > 1 and text[start - 2].isdigit()
    if not digits:
        return _DIGIT_FINAL["0"]  # 영
    if is_fraction or digits[-1] != "0":
        return _DIGIT_FINAL[digits[-1]]
    zeros = len(digits) - len(digits.rstrip("0"))
    # 십 백 천 만 (and 십만 … 억) all end in a consonant; 조 (10^12) does not.
    return 0 if zeros % 16 == 12 else _OTHER


def _latin_final(text: str) -> int | None:
    """Acronyms by letter names; ordinary words only when the ending is clear."""
    start = len(text)
    while start > 0 and text[start - 1].isascii() and text[start - 1].isalpha():
        start -= 1
    word = text[start:]
    if word.isupper() or len(word) == 1:
        return _LETTER_FINAL.get(word[-1].upper())
    lower = word.lower()
    if lower.endswith(("ng", "m", "n")):
        return _OTHER
    if lower.endswith("l"):
        return _RIEUL
    if lower.endswith(("a", "i", "o", "u")):
        return 0
    return None


def has_final_consonant(word: str) -> bool | None:
    """Whether the word, read aloud in Korean, ends in a 받침; None if unknown."""
    final = _final_index(word)
    return None if final is None else final != 0


def fix_particle(word: str, particle: str) -> str:
    """Return ``particle`` with its first element in the allomorph ``word`` needs.

    Works on stacked particles (으로는 → 로는 after 서울). Particles that have no
    allomorphs (의, 에서, 도 …) and words whose reading is unknown are returned
    unchanged.
    """
    final = _final_index(word)
    if final is None or not particle:
        return particle
    for form, (after_consonant, after_vowel) in _FORMS:
        if particle.startswith(form):
            rest = particle[len(form) :]
            if after_consonant.startswith("으로"):  # ㄹ-final words take 로: 서울로
                chosen = after_vowel if final in (0, _RIEUL) else after_consonant
            else:
                chosen = after_vowel if final == 0 else after_consonant
            return chosen + rest
    return particle


def attach(word: str, particle: str) -> str:
    """``word`` followed by the right allomorph of ``particle``."""
    return word + fix_particle(word, particle)
