"""Numbers as a reader understands them, in Korean and English, for the number QA checks.

Translators do not copy digits: 4월 is "April", 21일 is "Monday" (the day is
named, the date dropped), 6자 회담 is "six-party talks", 1조 2000억 원 is
"1.2 trillion won", 48km is "30 miles", 세 군데 is "three", 첫째 is "first".
So both sides are read into :class:`Quantity` tokens carrying *values*
(:class:`~decimal.Decimal`), a kind and a unit, and compared by value:

* digits with separators and decimals, Korean big units (만 억 조, also after
  천/백: 1천억) and English scale words (thousand … trillion), merged into one
  value when they follow each other in descending order (1억 5,279만);
* English cardinals and ordinals in words (twenty-one, a hundred, fifth,
  21st), hyphen compounds (four-year, 11-cm), decades (five decades = 50);
* Korean native numerals before a counter (세 군데, 두 명, 열두 척), day counts
  (사흘 = 3), ordinals (첫째, 둘째, 첫 번째, 제2차, 2차, 5주년, 6일째);
* dates and times: years, month numbers and names, days of the month,
  weekdays and relative days (today, yesterday), clock times in both
  conventions (오후 3시 = 3 p.m. = 15:00, 1시 40분 = 0140);
* percentages, money (원, 달러, $ …) and measures (km, miles, kg, pounds …).

Nothing here decides severity; :mod:`toolkit.translation.checks` does.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from toolkit.core.normalize import for_matching

__all__ = ["Quantity", "canonical", "convertible", "read_quantities"]

# Kinds
COUNT = "count"  # a number of things (also plain numbers)
ORDINAL = "ordinal"
MONEY = "money"
PERCENT = "percent"
MEASURE = "measure"
YEAR = "year"
MONTH = "month"
DAY = "day"  # day of the month
TIME = "time"  # clock time; value = minutes after midnight modulo 12 h
PHONE = "phone"  # a telephone number, compared without country code and trunk 0
WEEKDAY = "weekday"  # not a number: satisfies a day of the month
RELATIVE = "relative"  # today, yesterday…: satisfies a day of the month

DATE_KINDS = frozenset({YEAR, MONTH, DAY, TIME})


@dataclass(frozen=True)
class Quantity:
    """One number (or date word) found in a text."""

    value: Decimal
    kind: str
    unit: str  # canonical unit: "won", "usd", "%", "km", "mi", …; "" for none
    text: str  # as written, for messages
    start: int
    end: int
    bracketed: bool = False  # inside ( … ) — glosses and conversions live there
    approx: bool = False  # "about", "약", "여", "more than" …
    alternatives: tuple[Decimal, ...] = ()  # other readings (9.11 as a decimal; five decades = 50)
    scaled: bool = False  # written with a scale word or big unit (만, billion …)
    weak: bool = False  # implied, not written (양측 "the two sides"): may match, never reported
    parts: tuple[Decimal, ...] = ()  # further values of one reading (6.15: month 6 *and* day 15)

    @property
    def readings(self) -> tuple[frozenset[tuple[str, Decimal]], ...]:
        """What this token can stand for: alternative sets of (class, value), all needed."""
        cls = "time" if self.kind == TIME else "num"
        first = frozenset({(cls, self.value), *(("num", p) for p in self.parts)})
        return (first, *(frozenset({("num", v)}) for v in self.alternatives))


def canonical(value: Decimal) -> str:
    """``Decimal('1.50')`` → ``'1.5'``, ``Decimal('1E+3')`` → ``'1000'``."""
    text = format(value.normalize(), "f")
    return text


# --------------------------------------------------------------------------- vocabularies

_KO_BIG = {"만": 10**4, "억": 10**8, "조": 10**12}
_KO_SMALL = {"십": 10, "백": 100, "천": 1000}
_EN_SCALE = {"thousand": 10**3, "million": 10**6, "billion": 10**9, "trillion": 10**12}

_EN_ONES = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19,
}  # fmt: skip
_EN_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}  # fmt: skip
_EN_ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
    "fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18,
    "nineteenth": 19, "twentieth": 20, "thirtieth": 30, "fortieth": 40, "fiftieth": 50,
    "sixtieth": 60, "seventieth": 70, "eightieth": 80, "ninetieth": 90, "hundredth": 100,
    "thousandth": 1000,
}  # fmt: skip
_EN_MULTIPLES = {"once": 1, "twice": 2, "thrice": 3}
_EN_MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_EN_WEEKDAYS = frozenset(
    {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}
    | {"mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun"}
)
_EN_RELATIVE = frozenset({"today", "yesterday", "tomorrow", "tonight"})

# Korean native numerals (the forms before a counter) and day counts.
_KO_NATIVE_ONES = {"한": 1, "하나": 1, "두": 2, "둘": 2, "세": 3, "셋": 3, "석": 3, "네": 4, "넷": 4,
                   "넉": 4, "다섯": 5, "여섯": 6, "일곱": 7, "여덟": 8, "아홉": 9}  # fmt: skip
_KO_NATIVE_TENS = {"열": 10, "스무": 20, "스물": 20, "서른": 30, "마흔": 40, "쉰": 50, "예순": 60,
                   "일흔": 70, "여든": 80, "아흔": 90}  # fmt: skip
_KO_DAY_COUNTS = {"하루": 1, "이틀": 2, "사흘": 3, "나흘": 4, "닷새": 5, "엿새": 6, "이레": 7,
                  "여드레": 8, "아흐레": 9, "열흘": 10, "보름": 15}  # fmt: skip
_KO_ORDINAL_WORDS = {"첫째": 1, "둘째": 2, "셋째": 3, "넷째": 4, "다섯째": 5, "여섯째": 6, "일곱째": 7,
                     "여덟째": 8, "아홉째": 9, "열째": 10}  # fmt: skip
# Counters a native numeral stands before (세 군데, 두 명, 네 차례).
_KO_COUNTERS = (
    "명", "개", "곳", "군데", "번", "차례", "가지", "마리", "대", "척", "채", "권", "살", "시간", "달",
    "해", "사람", "건", "장", "자루", "쌍", "그루", "개국", "개월", "주", "배", "분", "팀", "벌", "줄",
    "번째", "나라", "국가", "가구", "종류", "척씩",
)  # fmt: skip
_KO_WEEKDAYS = ("월요일", "화요일", "수요일", "목요일", "금요일", "토요일", "일요일")
_KO_RELATIVE = ("오늘", "어제", "내일", "그저께", "모레", "이날", "당일", "이튿날", "전날", "다음날")

# Units: written form → (kind, canonical unit). Longest forms first in the regexes.
_UNITS: dict[str, tuple[str, str]] = {
    "%p": (PERCENT, "%p"), "%포인트": (PERCENT, "%p"), "퍼센트포인트": (PERCENT, "%p"),
    "%": (PERCENT, "%"), "％": (PERCENT, "%"), "퍼센트": (PERCENT, "%"), "프로": (PERCENT, "%"),
    "원": (MONEY, "won"), "달러": (MONEY, "usd"), "불": (MONEY, "usd"), "엔": (MONEY, "jpy"),
    "위안": (MONEY, "cny"), "유로": (MONEY, "eur"), "파운드": (MONEY, "gbp"),
    "km": (MEASURE, "km"), "㎞": (MEASURE, "km"), "킬로미터": (MEASURE, "km"), "킬로": (MEASURE, "km"),
    "mm": (MEASURE, "mm"), "㎜": (MEASURE, "mm"), "밀리미터": (MEASURE, "mm"), "밀리": (MEASURE, "mm"),
    "cm": (MEASURE, "cm"), "㎝": (MEASURE, "cm"), "센티미터": (MEASURE, "cm"), "센티": (MEASURE, "cm"),
    "m": (MEASURE, "m"), "미터": (MEASURE, "m"), "마일": (MEASURE, "mi"),
    "kg": (MEASURE, "kg"), "㎏": (MEASURE, "kg"), "킬로그램": (MEASURE, "kg"),
    "t": (MEASURE, "t"), "톤": (MEASURE, "t"), "g": (MEASURE, "g"), "그램": (MEASURE, "g"),
    "℃": (MEASURE, "c"), "°C": (MEASURE, "c"), "°F": (MEASURE, "f"), "평": (MEASURE, "pyeong"),
    "ha": (MEASURE, "ha"), "헥타르": (MEASURE, "ha"), "㎢": (MEASURE, "km2"), "km2": (MEASURE, "km2"),
    "노트": (MEASURE, "kn"),
}  # fmt: skip
_EN_UNITS: dict[str, tuple[str, str]] = {
    "percent": (PERCENT, "%"), "per cent": (PERCENT, "%"), "percentage points": (PERCENT, "%p"),
    "percentage point": (PERCENT, "%p"), "won": (MONEY, "won"), "dollars": (MONEY, "usd"),
    "dollar": (MONEY, "usd"), "yen": (MONEY, "jpy"), "yuan": (MONEY, "cny"), "euros": (MONEY, "eur"),
    "kilometers": (MEASURE, "km"), "kilometres": (MEASURE, "km"), "kilometer": (MEASURE, "km"),
    "kilometre": (MEASURE, "km"), "miles": (MEASURE, "mi"), "mile": (MEASURE, "mi"),
    "meters": (MEASURE, "m"), "metres": (MEASURE, "m"), "meter": (MEASURE, "m"), "metre": (MEASURE, "m"),
    "feet": (MEASURE, "ft"), "foot": (MEASURE, "ft"), "ft": (MEASURE, "ft"),
    "centimeters": (MEASURE, "cm"), "centimetres": (MEASURE, "cm"), "inches": (MEASURE, "in"),
    "inch": (MEASURE, "in"), "millimeters": (MEASURE, "mm"), "millimetres": (MEASURE, "mm"),
    "kilograms": (MEASURE, "kg"), "kilogram": (MEASURE, "kg"), "pounds": (MEASURE, "lb"),
    "pound": (MEASURE, "lb"), "lbs": (MEASURE, "lb"), "lb": (MEASURE, "lb"), "tons": (MEASURE, "t"),
    "tonnes": (MEASURE, "t"), "ton": (MEASURE, "t"), "tonne": (MEASURE, "t"), "grams": (MEASURE, "g"),
    "hectares": (MEASURE, "ha"), "acres": (MEASURE, "acre"), "knots": (MEASURE, "kn"),
    "square kilometers": (MEASURE, "km2"), "square kilometres": (MEASURE, "km2"),
    "square miles": (MEASURE, "mi2"), "square meters": (MEASURE, "m2"), "square metres": (MEASURE, "m2"),
    "degrees celsius": (MEASURE, "c"), "degrees fahrenheit": (MEASURE, "f"),
}  # fmt: skip
_CURRENCY_SIGNS = {"$": "usd", "US$": "usd", "₩": "won", "€": "eur", "£": "gbp", "¥": "jpy"}

# 1 of the unit on the left is this many of the unit on the right.
_CONVERSIONS: dict[tuple[str, str], float] = {
    ("km", "mi"): 0.621371, ("m", "ft"): 3.28084, ("cm", "in"): 0.393701, ("mm", "in"): 0.0393701,
    ("kg", "lb"): 2.20462, ("t", "lb"): 2204.62, ("ha", "acre"): 2.47105, ("km2", "mi2"): 0.386102,
    ("pyeong", "m2"): 3.30579, ("m", "yd"): 1.09361, ("kn", "km"): 1.852, ("t", "t"): 1.10231,
}  # fmt: skip


def convertible(a: Quantity, b: Quantity, tolerance: float = 0.05) -> bool:
    """Is ``b`` a unit conversion of ``a`` (either way, within ``tolerance``, rounding allowed)?"""
    if a.kind != MEASURE or b.kind != MEASURE or a.unit == b.unit:
        return False
    x, y = float(a.value), float(b.value)
    if (a.unit, b.unit) == ("c", "f"):
        return abs(x * 9 / 5 + 32 - y) <= max(1.0, abs(y) * 0.03)
    if (a.unit, b.unit) == ("f", "c"):
        return abs((x - 32) * 5 / 9 - y) <= max(1.0, abs(y) * 0.03)
    factor = _CONVERSIONS.get((a.unit, b.unit))
    if factor is None and (b.unit, a.unit) in _CONVERSIONS:
        factor = 1 / _CONVERSIONS[(b.unit, a.unit)]
    if factor is None or y == 0:
        return False
    return abs(x * factor - y) <= abs(y) * tolerance + 0.5


# --------------------------------------------------------------------------- patterns

_DIGITS = r"\d{1,3}(?:,\d{3})+(?!\d)|\d+"
_KO_UNIT_RE = "|".join(re.escape(u) for u in sorted(_UNITS, key=len, reverse=True))
_EN_UNIT_RE = "|".join(re.escape(u) for u in sorted(_EN_UNITS, key=len, reverse=True))
_APPROX_BEFORE = re.compile(
    r"(?:\b(?:about|around|approximately|nearly|almost|roughly|some|over|more than|less than|"
    r"fewer than|at least|up to|under|some)\s+|약\s?|대략\s?|최소\s?|최대\s?)$",
    re.IGNORECASE,
)

# A digit number with its big units and what follows it. Groups: number, fraction,
# Korean small+big units, Korean lone 천, English scale, rest (for the unit).
_NUMBER = re.compile(
    rf"(?<![A-Za-z0-9_.])(?P<whole>{_DIGITS})(?P<fraction>\.\d+)?"
    r"(?:\s?(?P<kosmall>[십백천])?(?P<kobig>[만억조])|\s?(?P<kothousand>천)(?![\w])"
    r"|\s?(?P<kothousand2>천)(?=[여명개원대척곳건달]))?"
    r"(?:\s?(?P<scale>thousand|million|billion|trillion)\b)?",
    re.IGNORECASE,
)
_KO_SINO_ROUND = re.compile(r"(?<![\w])(?P<word>[십백천만])(?=여?\s?(?:명|개|곳|대|척|건|원|가구|채))")
_KO_NATIVE = re.compile(
    r"(?<![가-힣])(?P<tens>열|스무|스물|서른|마흔|쉰|예순|일흔|여든|아흔)?"
    r"(?P<ones>하나|다섯|여섯|일곱|여덟|아홉|한|두|둘|세|셋|석|네|넷|넉)?"
    r"\s?(?P<counter>" + "|".join(sorted(_KO_COUNTERS, key=len, reverse=True)) + ")"
    r"(?=[^가-힣]|$|[의이가을를은는에과와도만씩째로])"  # a particle may follow the counter, a syllable not
)
# Unambiguous native numerals count whatever noun follows (두 집단, 다섯 나라); 한, 네,
# 세 and 열 also mean "a", "yes", "world", "heat": only before a counter (above).
_KO_NATIVE_FREE = re.compile(
    r"(?<![가-힣])(?P<tens>스무|스물|서른|마흔|쉰|예순|일흔|여든|아흔)?(?P<ones>두|다섯|여섯|일곱|여덟|아홉)"
    r"(?=\s[가-힣])"
)
# Words that imply two parties: 양측 (both sides), 양국, 남북 (the two Koreas), 북-미간.
_KO_PAIR = re.compile(r"(?<![가-힣])(?:양측|양국|양사|양자|쌍방|남북한?|[가-힣]{1,3}[-·][가-힣]{1,3}\s?간)")
_EN_PAIR = re.compile(r"\bboth\b", re.IGNORECASE)
_KO_NATIVE_WORD = re.compile(r"(?<![가-힣])(?P<word>" + "|".join([*_KO_DAY_COUNTS, *_KO_ORDINAL_WORDS]) + ")")
_KO_SINO = {"십": 10, "백": 100, "천": 1000, "만": 10**4}
_KO_FIRST = re.compile(r"(?<![가-힣])첫(?:\s?번째|\s|(?=[가-힣]))")
_KO_TIME = re.compile(
    r"(?:(?P<period>오전|오후|새벽|아침|낮|저녁|밤)\s?)?(?P<hour>\d{1,2})\s?시(?!간|대|각|장|점|청|의회|민|내|외|도)"
    r"(?:\s?(?P<minute>\d{1,2})\s?분|\s?(?P<half>반))?"
)
_EN_TIME = re.compile(
    r"(?<![\d:])(?P<hour>\d{1,2})(?::\s?(?P<minute>\d{2}))?\s?(?P<period>a\.m\.|p\.m\.|am\b|pm\b|o'clock)"
    r"|(?<![\d:.])(?P<hour24>[01]?\d|2[0-3]):(?P<minute24>[0-5]\d)(?![\d:])",
    re.IGNORECASE,
)
# +82-55-225-0001, 055-225-0001, (055) 225-0001, 02 3150 2000
_PHONE = re.compile(
    r"(?<![\w+])(?:\+\s?(?P<country>\d{1,3})[\s.-]?(?:\(0\)\s?)?)?\(?(?P<area>0?\d{1,3})\)?[\s.-]"
    r"(?P<a>\d{3,4})[\s.-](?P<b>\d{4})(?![\w-])"
)
_DATE_DOTTED = re.compile(r"(?<![\d.])(?P<a>\d{1,4})\s?[.·•/]\s?(?P<b>\d{1,2})(?![\d])(?!\.\d)")
_WORD = re.compile(r"[A-Za-z]+")
_SCALE_AFTER = re.compile(r"\s?(?:thousand|million|billion|trillion|[십백천만억조배])", re.IGNORECASE)
_ENTITY = re.compile(r"&#?\w+;")


@dataclass
class _Span:
    taken: bytearray

    def free(self, start: int, end: int) -> bool:
        return not any(self.taken[start:end])

    def take(self, start: int, end: int) -> None:
        self.taken[start:end] = b"\x01" * (end - start)


def _bracketed(text: str, index: int) -> bool:
    """Is ``index`` inside round brackets (a gloss or a conversion)?"""
    depth = 0
    for char in reversed(text[:index]):
        if char in ")）":
            depth += 1
        elif char in "(（":
            if depth == 0:
                return True
            depth -= 1
    return False


def _approx(text: str, start: int) -> bool:
    return bool(_APPROX_BEFORE.search(text[max(0, start - 14) : start]))


def _dec(text: str) -> Decimal | None:
    try:
        return Decimal(text.replace(",", ""))
    except InvalidOperation:
        return None


# --------------------------------------------------------------------------- reading


@lru_cache(maxsize=2048)
def read_quantities(text: str) -> tuple[Quantity, ...]:
    """Every number, date word and time in ``text`` (Korean or English), in text order."""
    view = _ENTITY.sub(lambda m: " " * len(m.group()), for_matching(text)[0])
    taken = _Span(bytearray(len(view)))
    found: list[Quantity] = []
    _phones(view, taken, found)
    _times(view, taken, found)
    _dates_dotted(view, taken, found)
    _digit_numbers(view, taken, found)
    _korean_words(view, taken, found)
    _english_words(view, taken, found)
    found.sort(key=lambda q: q.start)
    return tuple(_merge_descending(view, found))


def _add(
    found: list[Quantity],
    taken: _Span,
    view: str,
    start: int,
    end: int,
    value: Decimal | int,
    kind: str,
    unit: str = "",
    *,
    alternatives: Sequence[Decimal | int] = (),
    scaled: bool = False,
    weak: bool = False,
    parts: Sequence[Decimal | int] = (),
) -> None:
    taken.take(start, end)
    found.append(
        Quantity(
            Decimal(value),
            kind,
            unit,
            view[start:end].strip(),
            start,
            end,
            bracketed=_bracketed(view, start),
            approx=_approx(view, start),
            alternatives=tuple(Decimal(a) for a in alternatives),
            scaled=scaled,
            weak=weak,
            parts=tuple(Decimal(p) for p in parts),
        )
    )


def _phones(view: str, taken: _Span, found: list[Quantity]) -> None:
    """Telephone numbers as one value: +82-55-225-0001 is 055-225-0001."""
    for hit in _PHONE.finditer(view):
        if hit.group("country") is None and not hit.group("area").startswith("0"):
            continue  # 10 1234 5678 is not a phone number without a trunk 0 or a country code
        national = hit.group("area").lstrip("0") + hit.group("a") + hit.group("b")
        _add(found, taken, view, hit.start(), hit.end(), int(national), PHONE)


def _times(view: str, taken: _Span, found: list[Quantity]) -> None:
    for hit in _KO_TIME.finditer(view):
        hour = int(hit.group("hour"))
        if hour > 24 or not taken.free(*hit.span()):
            continue
        minute = int(hit.group("minute") or (30 if hit.group("half") else 0))
        if minute > 59:
            continue
        _add(found, taken, view, hit.start(), hit.end(), (hour % 12) * 60 + minute, TIME)
    for hit in _EN_TIME.finditer(view):
        if not taken.free(*hit.span()):
            continue
        if hit.group("hour24") is not None:
            hour, minute = int(hit.group("hour24")), int(hit.group("minute24"))
        else:
            hour, minute = int(hit.group("hour")), int(hit.group("minute") or 0)
            if hour > 12 or minute > 59:
                continue
        _add(found, taken, view, hit.start(), hit.end(), (hour % 12) * 60 + minute, TIME)


def _dates_dotted(view: str, taken: _Span, found: list[Quantity]) -> None:
    """2005.10, 6.15, 8•15, 9/11: a date, or a decimal; both readings are kept."""
    for hit in _DATE_DOTTED.finditer(view):
        if not taken.free(*hit.span()):
            continue
        a, b = int(hit.group("a")), int(hit.group("b"))
        separator = view[hit.start("a") + len(hit.group("a")) : hit.start("b")].strip()
        date_like = (1900 <= a <= 2100 and 1 <= b <= 12) or (1 <= a <= 12 and 1 <= b <= 31)
        if not date_like:
            continue
        if separator == "." and (_unit_after(view, hit.end())[0] or _SCALE_AFTER.match(view, hit.end())):
            continue  # 4.5%, 1.15 percent, 1.2 billion: a decimal
        if separator == "/" and not (1 <= a <= 12):
            continue
        decimal = _dec(f"{a}.{hit.group('b')}") if separator == "." else None
        kind = YEAR if a >= 1900 else MONTH
        alternatives = [decimal] if decimal is not None else []
        _add(found, taken, view, hit.start(), hit.end(), a, kind, alternatives=alternatives, parts=[b])


_KO_UNIT_AFTER = re.compile(rf"(?:\s?여\s?|\s|-)?({_KO_UNIT_RE})(?![A-Za-z])")
_EN_UNIT_AFTER = re.compile(rf"[\s-]?({_EN_UNIT_RE})\b", re.IGNORECASE)


def _unit_after(view: str, end: int) -> tuple[str, str, int]:
    """(kind, unit, new end) for a unit word right after a number, else ("", "", end)."""
    rest = view[end : end + 24]
    ko = _KO_UNIT_AFTER.match(rest)
    if ko:
        kind, unit = _UNITS[ko.group(1)]
        return kind, unit, end + ko.end()
    en = _EN_UNIT_AFTER.match(rest)
    if en:
        kind, unit = _EN_UNITS[en.group(1).lower()]
        return kind, unit, end + en.end()
    return "", "", end


_KO_COUNT_AFTER = re.compile(
    r"\s?(?:여\s?)?(?P<suffix>년간|년|개월|월|일간|일째|일|주년|주일|주|차|번째|째|회|세|명|개국|개사|개|대|척|곳|건|가구|채|배|시간|분|초|자|위|등|호봉|군데|차례|번|마리)"
)


def _digit_numbers(view: str, taken: _Span, found: list[Quantity]) -> None:
    for hit in _NUMBER.finditer(view):
        start, end = hit.span()
        if not taken.free(start, end) or end == start:
            continue
        value = _dec(hit.group("whole") + (hit.group("fraction") or ""))
        if value is None:
            continue
        scaled = False
        for unit in (hit.group("kosmall"), hit.group("kothousand"), hit.group("kothousand2")):
            if unit:
                value *= _KO_SMALL[unit]
                scaled = True
        if hit.group("kobig"):
            value *= _KO_BIG[hit.group("kobig")]
            scaled = True
        if hit.group("scale"):
            value *= _EN_SCALE[hit.group("scale").lower()]
            scaled = True
        end = hit.end()
        while end > start and view[end - 1].isspace():
            end -= 1
        kind, unit = COUNT, ""
        sign = _sign_before(view, start)
        if sign:
            kind, unit = MONEY, _CURRENCY_SIGNS[sign]
            start -= len(sign)
        unit_kind, unit_name, unit_end = _unit_after(view, end)
        alternatives: list[Decimal] = []
        if unit_kind:
            kind, unit, end = unit_kind, unit_name, unit_end
        else:
            counted = _KO_COUNT_AFTER.match(view, end)
            if counted:
                suffix = counted.group("suffix")
                kind = {
                    "년": YEAR if value >= 1000 and not scaled else COUNT,
                    "월": MONTH if 1 <= value <= 12 else COUNT,
                    "일": DAY if 1 <= value <= 31 else COUNT,
                    "주년": ORDINAL, "차": ORDINAL, "번째": ORDINAL, "째": ORDINAL, "일째": ORDINAL,
                    "회": ORDINAL, "위": ORDINAL,
                }.get(suffix, COUNT)  # fmt: skip
                end = counted.end()
            elif not scaled and value.as_tuple().exponent == 0:
                whole = int(value)
                if 1900 <= whole <= 2100 and len(hit.group("whole")) == 4:
                    kind = YEAR
                elif len(hit.group("whole")) == 4 and hit.group("whole")[0] == "0":
                    hour, minute = divmod(whole, 100)
                    if hour <= 23 and minute <= 59:  # 0140 hours
                        _add(found, taken, view, start, end, (hour % 12) * 60 + minute, TIME)
                        continue
                ordinal = re.match(r"(?:st|nd|rd|th)\b", view[end : end + 2])
                if ordinal:
                    kind, end = ORDINAL, end + len(ordinal.group())
                elif re.match(r"s\b", view[end : end + 2]) and whole % 10 == 0:
                    end += 1  # the 60s, 1990s
                decades = re.match(r"[\s-](?:decades?)\b", view[end : end + 9])
                if decades:
                    alternatives.append(value * 10)
        _add(found, taken, view, start, end, value, kind, unit, alternatives=alternatives, scaled=scaled)


def _sign_before(view: str, start: int) -> str:
    for sign in sorted(_CURRENCY_SIGNS, key=len, reverse=True):
        if view[max(0, start - len(sign)) : start] == sign:
            return sign
    return ""


def _merge_descending(view: str, found: list[Quantity]) -> list[Quantity]:
    """1억 5,279만원 and 1조 2000억: consecutive Korean big units add up to one value."""
    merged: list[Quantity] = []
    for q in found:
        if merged:
            prev = merged[-1]
            gap = view[prev.end : q.start]
            prev_big = _big_unit(prev.text)
            this_big = _big_unit(q.text)
            if (
                prev.kind in (COUNT, MONEY)
                and prev_big
                and this_big < prev_big
                and not gap.strip()
                and prev.unit == ""
            ):
                merged[-1] = Quantity(
                    prev.value + q.value,
                    q.kind,
                    q.unit,
                    view[prev.start : q.end].strip(),
                    prev.start,
                    q.end,
                    prev.bracketed,
                    prev.approx,
                    (),
                    True,
                )
                continue
        merged.append(q)
    return merged


def _big_unit(text: str) -> int:
    digits = re.match(r"[\d,.]+\s?([십백천])?([만억조])?", text)
    if not digits or not digits.group(2):
        return 0
    return _KO_BIG[digits.group(2)]


def _korean_words(view: str, taken: _Span, found: list[Quantity]) -> None:
    for hit in _KO_NATIVE.finditer(view):
        tens, ones = hit.group("tens"), hit.group("ones")
        if not (tens or ones) or not taken.free(*hit.span()):
            continue
        counter = hit.group("counter")
        value = (_KO_NATIVE_TENS[tens] if tens else 0) + (_KO_NATIVE_ONES[ones] if ones else 0)
        _ = counter  # 세 번, 세 분, 세 곳: whatever is counted, it is 3
        _add(found, taken, view, hit.start(), hit.end(), value, COUNT)
    for hit in _KO_NATIVE_FREE.finditer(view):
        if taken.free(*hit.span()):
            tens, ones = hit.group("tens"), hit.group("ones")
            value = (_KO_NATIVE_TENS[tens] if tens else 0) + _KO_NATIVE_ONES[ones]
            _add(found, taken, view, hit.start(), hit.end(), value, COUNT)
    for pattern in (_KO_PAIR, _EN_PAIR):
        for hit in pattern.finditer(view):
            if taken.free(*hit.span()):
                _add(found, taken, view, hit.start(), hit.end(), 2, COUNT, weak=True)
    for hit in _KO_NATIVE_WORD.finditer(view):
        if not taken.free(*hit.span()):
            continue
        word = hit.group("word")
        if word in _KO_DAY_COUNTS:
            _add(found, taken, view, hit.start(), hit.end(), _KO_DAY_COUNTS[word], COUNT)
        else:
            _add(found, taken, view, hit.start(), hit.end(), _KO_ORDINAL_WORDS[word], ORDINAL)
    for hit in _KO_FIRST.finditer(view):
        if taken.free(*hit.span()):
            _add(found, taken, view, hit.start(), hit.end(), 1, ORDINAL)
    for hit in _KO_SINO_ROUND.finditer(view):
        if taken.free(*hit.span()):
            _add(found, taken, view, hit.start(), hit.end(), _KO_SINO[hit.group("word")], COUNT)
    for index, words in ((WEEKDAY, _KO_WEEKDAYS), (RELATIVE, _KO_RELATIVE)):
        for word in words:
            for hit in re.finditer(re.escape(word), view):
                if taken.free(*hit.span()):
                    _add(found, taken, view, hit.start(), hit.end(), 0, index)


def _english_words(view: str, taken: _Span, found: list[Quantity]) -> None:
    words = [(m.start(), m.end(), m.group()) for m in _WORD.finditer(view)]
    index = 0
    while index < len(words):
        start, end, word = words[index]
        lower = word.lower()
        if not taken.free(start, end):
            index += 1
            continue
        if lower in _EN_MONTHS and word[0].isupper():
            dotted = view[end : end + 1] == "."
            near_digit = bool(re.match(r"\.?\s?\d", view[end : end + 3])) or bool(
                re.search(r"\d\s?$", view[max(0, start - 3) : start])
            )
            # "May" and "March" are also ordinary words: only next to a day or a year
            ordinary = lower in ("may", "march", "mar") and not near_digit
            if not ordinary and (len(lower) > 3 or dotted or near_digit):
                _add(found, taken, view, start, end + dotted, _EN_MONTHS[lower], MONTH)
            index += 1
            continue
        if lower in _EN_WEEKDAYS and word[0].isupper() and (len(lower) > 4 or view[end : end + 1] == "."):
            _add(found, taken, view, start, end, 0, WEEKDAY)
            index += 1
            continue
        if lower in _EN_RELATIVE:
            _add(found, taken, view, start, end, 0, RELATIVE)
            index += 1
            continue
        if lower in _EN_ORDINALS:
            _add(found, taken, view, start, end, _EN_ORDINALS[lower], ORDINAL)
            index += 1
            continue
        parsed = _spelled(words, index, view)
        if parsed is None:
            index += 1
            continue
        value, last, ordinal = parsed
        stop = words[last][1]
        kind, unit, unit_end = _unit_after(view, stop)
        if not kind:
            kind, unit_end = (ORDINAL if ordinal else COUNT), stop
            if re.match(r"[\s-]decades?\b", view[stop : stop + 9]):
                _add(found, taken, view, start, stop, value, COUNT, alternatives=[value * 10])
                index = last + 1
                continue
        _add(found, taken, view, start, unit_end, value, kind, unit, scaled=value >= 1000)
        index = last + 1
        while index < len(words) and words[index][0] < unit_end:
            index += 1


def _spelled(words: list[tuple[int, int, str]], index: int, view: str) -> tuple[Decimal, int, bool] | None:
    """A spelled-out number starting at ``words[index]``: (value, last word index, is ordinal).

    twenty-one, a hundred, two hundred and fifty, three million, a dozen, twice,
    twenty-fifth. Words must follow each other with one space or a hyphen.
    """
    total = Decimal(0)
    current = Decimal(0)
    last = -1
    i = index
    while i < len(words):
        start, _, word = words[i]
        lower = word.lower()
        if i > index and view[words[i - 1][1] : start] not in (" ", "-"):
            break
        nxt = words[i + 1][2].lower() if i + 1 < len(words) else ""
        if last < 0 and lower == "a" and nxt in ("hundred", "dozen", *_EN_SCALE):
            current = Decimal(1)
            i += 1
            continue
        if lower == "and" and last >= 0 and nxt in (*_EN_ONES, *_EN_TENS):
            i += 1
            continue
        if lower in _EN_ONES:
            current += _EN_ONES[lower]
        elif lower in _EN_TENS:
            current += _EN_TENS[lower]
        elif lower in _EN_ORDINALS and last >= 0:
            return total + current + _EN_ORDINALS[lower], i, True
        elif lower == "hundred" and (last >= 0 or current):
            current = (current or Decimal(1)) * 100
        elif lower in _EN_SCALE and (last >= 0 or current):
            total += (current or Decimal(1)) * _EN_SCALE[lower]
            current = Decimal(0)
        elif lower in _EN_MULTIPLES and last < 0:
            return Decimal(_EN_MULTIPLES[lower]), i, False
        elif lower == "dozen" and current == 1 and last < 0:
            return Decimal(12), i, False
        else:
            break
        last = i
        i += 1
    if last < 0:
        return None
    return total + current, last, False
