"""Fonts for the PDF renderer: static instances of pip-installed variable fonts.

The only fonts guaranteed after ``pip install`` are two *variable* TTFs
(Noto Sans KR from justmytype-intl-cjk, Noto Sans from fontpkg-noto-sans).
reportlab cannot use variable fonts (it would render the default instance,
Thin), so we make static Regular (400) and Bold (700) instances with
fontTools, once per user, and cache them.

Instancing costs time in proportion to the glyphs kept (about 0.45 ms per
glyph), and Noto Sans KR has 22,000 of them. So a source is split into
*parts*: the main part holds what nearly every release uses (for Korean:
Latin, punctuation, symbols and KS X 1001's 2,350 Hangul syllables) and is
made on first use; the rare Hangul syllables and the Hanja are parts of their
own, made only when a document really contains one of their characters. The
PDF renderer treats every part as one more font of the fallback chain, so no
character can be missed, and a typical first build makes ~4,700 KR glyphs
instead of ~21,600 (about 6 s instead of 25 s).

The instances are deterministic (no timestamps), keyed by a hash of the source
font + fontTools version + our recipe (weight, pinned axes, the part's code
points), and written atomically so concurrent processes never read a
half-written file. Which code points each part holds is read from the source
font once and cached beside the instances (reading a 10 MB font's cmap costs
more than a whole small build).

Every character of a document must be drawn by some font: :func:`segment`
splits text into runs per font of a fallback chain and raises
:class:`RenderError` naming the character instead of letting reportlab drop
it silently.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import io
import os
import time
from collections.abc import Callable, Container, Iterable, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from toolkit.core.atomic import write_bytes_atomic
from toolkit.core.errors import RenderError, problem

RECIPE_VERSION = "3"  # bump when the instancing recipe changes (invalidates caches)
WEIGHTS: tuple[int, int] = (400, 700)

# Code points kept in the Noto Sans KR instances: what a Korean/English release
# needs. Hangul (syllables + all jamo), Latin, punctuation, symbols, CJK
# symbols/enclosed forms and Hanja (KS X 1001 Hanja sit in the URO block).
KR_RANGES: tuple[tuple[int, int], ...] = (
    (0x0020, 0x007E),  # Basic Latin
    (0x00A0, 0x024F),  # Latin-1, Latin Extended-A/B (what the font has)
    (0x0370, 0x04FF),  # Greek, Cyrillic (partial in the font)
    (0x1100, 0x11FF),  # Hangul Jamo
    (0x2000, 0x2BFF),  # punctuation, super/subscripts, letterlike, arrows, symbols
    (0x3000, 0x303F),  # CJK symbols and punctuation
    (0x3130, 0x318F),  # Hangul compatibility jamo
    (0x3200, 0x33FF),  # enclosed CJK, CJK compatibility
    (0x3400, 0x4DBF),  # CJK Extension A
    (0x4E00, 0x9FFF),  # CJK unified ideographs (Hanja)
    (0xA960, 0xA97F),  # Hangul Jamo Extended-A
    (0xAC00, 0xD7A3),  # Hangul syllables
    (0xD7B0, 0xD7FF),  # Hangul Jamo Extended-B
    (0xF900, 0xFAFF),  # CJK compatibility ideographs
    (0xFE30, 0xFE4F),  # CJK compatibility forms
    (0xFF00, 0xFFEF),  # half/full-width forms
)
HANGUL_SYLLABLES: tuple[tuple[int, int], ...] = ((0xAC00, 0xD7A3),)
HANJA_RANGES: tuple[tuple[int, int], ...] = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF))


# Code points of the Noto Sans main instances: the Latin a Korean/English release
# writes (Vietnamese names included), Greek letters, punctuation and symbols. The
# font's other scripts (Cyrillic, polytonic Greek, IPA, Devanagari, rare Latin
# extensions: two thirds of its glyphs) wait in a part made the first time a
# release uses one of them.
LATIN_MAIN_RANGES: tuple[tuple[int, int], ...] = (
    (0x0000, 0x024F),  # Basic Latin, Latin-1, Latin Extended-A/B
    (0x02B0, 0x03FF),  # spacing modifiers, combining diacritics, Greek
    (0x1E00, 0x1EFF),  # Latin Extended Additional (Vietnamese)
    (0x2000, 0x22FF),  # punctuation, super/subscripts, currency, letterlike, number forms, arrows, math
    (0x2460, 0x25FF),  # enclosed alphanumerics, box drawing, geometric shapes
    (0xFB00, 0xFB06),  # Latin ligatures
    (0xFE00, 0xFE0F),  # variation selectors
    (0xFEFF, 0xFEFF),  # byte order mark
    (0xFFF0, 0xFFFF),  # specials
)


def _complement(ranges: Sequence[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    out: list[tuple[int, int]] = []
    start = 0
    for lo, hi in sorted(ranges):
        if lo > start:
            out.append((start, lo - 1))
        start = max(start, hi + 1)
    if start <= 0x10FFFF:
        out.append((start, 0x10FFFF))
    return tuple(out)


@functools.lru_cache(maxsize=1)
def ks_x_1001_hangul() -> frozenset[int]:
    """The 2,350 Hangul syllables of KS X 1001 (EUC-KR rows 0xB0–0xC8): nearly all Korean text."""
    found: set[int] = set()
    for lead in range(0xB0, 0xC9):
        for trail in range(0xA1, 0xFF):
            try:
                found.add(ord(bytes((lead, trail)).decode("euc-kr")))
            except UnicodeDecodeError:
                continue
    return frozenset(found)


@dataclass(frozen=True)
class Part:
    """Code points of a source kept in an instance of their own, made only when used."""

    suffix: str  # in the PostScript and file names: NotoSansKRHanja-Regular
    ranges: tuple[tuple[int, int], ...]
    except_ks_x_1001: bool = False  # leave KS X 1001's Hangul in the main part

    def claims(self, cp: int) -> bool:
        if not any(lo <= cp <= hi for lo, hi in self.ranges):
            return False
        return not (self.except_ks_x_1001 and cp in ks_x_1001_hangul())


MAIN = ""  # suffix of a source's main part: everything no other part claims


@dataclass(frozen=True)
class FontSource:
    """A variable font shipped by a pip package and how we instance it."""

    key: str  # "noto-sans-kr" / "noto-sans" (used in style font_chain)
    family: str  # family name written into the instance and into DOCX
    ps_base: str  # PostScript name stem, e.g. "NotoSansKR"
    package: str
    relpath: str
    fixed_axes: tuple[tuple[str, float], ...] = ()  # other axes pinned (e.g. wdth=100)
    ranges: tuple[tuple[int, int], ...] | None = None  # None = keep the whole cmap
    parts: tuple[Part, ...] = ()  # made lazily; the main part holds the rest

    @property
    def part_names(self) -> tuple[str, ...]:
        """The main part first, then the lazy parts in fallback order."""
        return (MAIN, *(p.suffix for p in self.parts))

    def path(self) -> Path:
        try:
            root = resources.files(self.package)
        except ModuleNotFoundError:
            raise RenderError(
                problem(
                    self.package,
                    None,
                    f"font package {self.package} is not installed",
                    f"pip install {self.package.replace('_', '-')}",
                )
            ) from None
        path = Path(str(root.joinpath(self.relpath)))
        if not path.is_file():
            raise RenderError(
                problem(
                    path,
                    None,
                    f"font file missing from {self.package}",
                    f"reinstall: pip install --force-reinstall {self.package.replace('_', '-')}",
                )
            )
        return path

    def recipe(self) -> str:
        """Everything besides the source bytes and the weight that shapes an instance."""
        return repr((self.fixed_axes, self.ranges, self.parts))


SOURCES: dict[str, FontSource] = {
    "noto-sans-kr": FontSource(
        key="noto-sans-kr",
        family="Noto Sans KR",
        ps_base="NotoSansKR",
        package="justmytype_intl_cjk",
        relpath="fonts/ofl/notosanskr/NotoSansKR[wght].ttf",
        ranges=KR_RANGES,
        parts=(
            Part("Hangul", HANGUL_SYLLABLES, except_ks_x_1001=True),  # 8,822 rare syllables
            Part("Hanja", HANJA_RANGES),  # 8,566 ideographs
        ),
    ),
    "noto-sans": FontSource(
        key="noto-sans",
        family="Noto Sans",
        ps_base="NotoSans",
        package="fontpkg_noto_sans",
        relpath="files/NotoSans[wdth,wght].ttf",
        fixed_axes=(("wdth", 100.0),),
        parts=(Part("Extended", _complement(LATIN_MAIN_RANGES)),),  # 1,697 of its 3,094 code points
    ),
}


@dataclass(frozen=True)
class FontFace:
    """Static Regular + Bold instances of one family (its main part), ready for reportlab."""

    key: str
    family: str
    regular: Path
    bold: Path


def cache_dir() -> Path:
    """Per-user font cache: $PRESSPACK_CACHE_DIR/fonts, XDG cache, or ~/.cache."""
    env = os.environ.get("PRESSPACK_CACHE_DIR")
    if env:
        return Path(env) / "fonts"
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg) if xdg else Path.home() / ".cache"
    return base / "presspack" / "fonts"


@functools.lru_cache(maxsize=8)
def _file_sha256(path: Path, stamp: tuple[int, ...]) -> str:
    """Hash of a source font; its stat stamp in the key re-hashes a changed file."""
    cached = _read_hash_record(path, stamp)
    if cached is not None:
        return cached
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    value = digest.hexdigest()
    _write_hash_record(path, stamp, value)
    return value


def _stamp(st: os.stat_result) -> tuple[int, ...]:
    """What changes whenever a file's bytes do: size, mtime and ctime (which no one can
    set back: any write moves it), device and inode (a file replaced by another)."""
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_dev, st.st_ino)


def _hash_record_path(path: Path) -> Path:
    name = f"{hashlib.sha256(str(path).encode()).hexdigest()[:20]}.sha256"
    return cache_dir().parent / "font-hashes" / name


def _read_hash_record(path: Path, stamp: tuple[int, ...]) -> str | None:
    """The hash recorded for ``path`` while it had ``stamp``, if any.

    Hashing the two variable fonts (12 MB) cost 30 ms of every build, also of a
    no-op one; a record per font, trusted only for the very same stat stamp
    (like git's index), leaves the bytes unread until the file is touched.
    """
    try:
        fields = _hash_record_path(path).read_text("ascii").split()
    except (OSError, UnicodeDecodeError):
        return None
    if len(fields) != 2 or fields[0] != ",".join(map(str, stamp)):
        return None
    value = fields[1]
    return value if len(value) == 64 and all(c in "0123456789abcdef" for c in value) else None


#: A file changed this recently may change again within the same clock tick, leaving
#: its stamp as it was (git's "racily clean" entries): its hash is not recorded.
RACY_WINDOW_NS = 2_000_000_000


def _write_hash_record(path: Path, stamp: tuple[int, ...], value: str) -> None:
    _, mtime_ns, ctime_ns, *_ = stamp
    if time.time_ns() - max(mtime_ns, ctime_ns) < RACY_WINDOW_NS:
        return
    record = _hash_record_path(path)
    try:
        record.parent.mkdir(parents=True, exist_ok=True)
        write_bytes_atomic(record, f"{','.join(map(str, stamp))} {value}\n".encode("ascii"))
    except OSError:
        pass  # an unwritable cache only costs the hash next time


def source_sha256(path: Path) -> str:
    return _file_sha256(path, _stamp(path.stat()))


def _fonttools_version() -> str:
    import fontTools

    return str(fontTools.version)


def _source_key(source: FontSource) -> str:
    """Source bytes, fontTools version and the whole recipe of ``source``."""
    parts = [source_sha256(source.path()), _fonttools_version(), RECIPE_VERSION, source.recipe()]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def instance_key(source: FontSource, weight: int, part: str = MAIN) -> str:
    """Cache key of one instance: the source key (bytes, fontTools, recipe), weight and part."""
    if part not in source.part_names:
        raise KeyError(f"{source.key} has no part {part!r}")
    parts = [_source_key(source), str(weight), part]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def fonts_fingerprint() -> str:
    """Changes whenever any embedded font would change (for the build cache).

    Made of the instance keys themselves, so whatever shapes an instance
    (source bytes, fontTools, recipe, pinned axes, ranges, parts, weight)
    is in the build key too: nothing can change a font and leave a pack
    "up to date".
    """
    keys = [
        f"{key}:{part}:{weight}={instance_key(SOURCES[key], weight, part)}"
        for key in sorted(SOURCES)
        for part in SOURCES[key].part_names
        for weight in WEIGHTS
    ]
    return hashlib.sha256("\n".join(keys).encode()).hexdigest()


def build_instance(
    source_path: Path,
    family: str,
    ps_base: str,
    weight: int,
    fixed_axes: Sequence[tuple[str, float]] = (),
    unicodes: Iterable[int] | None = None,
    ranges: Sequence[tuple[int, int]] | None = None,
) -> bytes:
    """Make one static instance (TTF bytes) of a variable font, deterministically.

    Subsetting first means only the kept glyphs' outlines and variations are
    ever decoded (fontTools reads glyf and gvar lazily); layout tables and
    hinting are dropped because reportlab uses neither.
    """
    from fontTools import subset
    from fontTools.ttLib import TTFont
    from fontTools.varLib import instancer

    font = TTFont(str(source_path), recalcTimestamp=False)
    cmap = font.getBestCmap()
    if unicodes is None:
        if ranges is None:
            keep = sorted(cmap)
        else:
            keep = [cp for cp in sorted(cmap) if any(lo <= cp <= hi for lo, hi in ranges)]
    else:
        keep = sorted(cp for cp in set(unicodes) if cp in cmap)
    options = subset.Options()
    options.layout_features = []
    options.hinting = False
    options.notdef_outline = True
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.name_legacy = True
    options.drop_tables = [*options.drop_tables, "BASE", "vhea", "vmtx", "VORG", "STAT", "DSIG"]
    # layout tables removed unread: with no features kept they would be emptied anyway,
    # after the subsetter decodes them (half of a Latin instance's time: its GPOS kerning)
    for tag in ("GSUB", "GPOS", "GDEF", "JSTF", "MATH"):
        if tag in font:
            del font[tag]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=keep)
    subsetter.subset(font)

    axes: dict[str, float] = {"wght": float(weight), **dict(fixed_axes)}
    font = instancer.instantiateVariableFont(font, axes, inplace=True, updateFontNames=False)
    bold = weight >= 700
    style = "Bold" if bold else "Regular"
    _set_names(font, family, style, f"{ps_base}-{style}")
    font["OS/2"].usWeightClass = weight
    # fsSelection: bit 5 BOLD, bit 6 REGULAR; keep USE_TYPO_METRICS (bit 7).
    fs = font["OS/2"].fsSelection & 0x0080
    font["OS/2"].fsSelection = fs | (0x0020 if bold else 0x0040)
    font["head"].macStyle = 0x0001 if bold else 0x0000
    out = io.BytesIO()
    font.save(out, reorderTables=True)
    return out.getvalue()


def _set_names(font: object, family: str, style: str, ps_name: str) -> None:
    """Rename the instance (the source's default names say 'Thin')."""
    name = font["name"]  # type: ignore[index]
    name.names = [r for r in name.names if r.nameID not in {1, 2, 3, 4, 6, 16, 17, 21, 22, 25}]
    full = f"{family} {style}" if style != "Regular" else family
    values = {1: family, 2: style, 3: f"presspack:{ps_name}", 4: full, 6: ps_name}
    for name_id, value in values.items():
        name.setName(value, name_id, 3, 1, 0x409)
        name.setName(value, name_id, 1, 0, 0)


# --------------------------------------------------------------------------- coverage


def _to_ranges(cps: Iterable[int]) -> list[list[int]]:
    out: list[list[int]] = []
    for cp in sorted(cps):
        if out and out[-1][1] == cp - 1:
            out[-1][1] = cp
        else:
            out.append([cp, cp])
    return out


def partition(source: FontSource, cmap: Iterable[int]) -> dict[str, frozenset[int]]:
    """Which part of ``source`` holds each code point of its cmap (within its ranges)."""
    result: dict[str, set[int]] = {name: set() for name in source.part_names}
    for cp in cmap:
        if source.ranges is not None and not any(lo <= cp <= hi for lo, hi in source.ranges):
            continue
        owner = next((p.suffix for p in source.parts if p.claims(cp)), MAIN)
        result[owner].add(cp)
    return {name: frozenset(cps) for name, cps in result.items()}


def coverage_path(source: FontSource) -> Path:
    return cache_dir() / f"{source.ps_base}-coverage-{_source_key(source)[:20]}.json"


def _read_coverage(path: Path, source: FontSource) -> dict[str, frozenset[int]] | None:
    import json

    try:
        data = json.loads(path.read_text("utf-8"))
        parts = {
            name: frozenset(cp for lo, hi in data[name] for cp in range(int(lo), int(hi) + 1))
            for name in source.part_names
        }
    except (OSError, ValueError, KeyError, TypeError):
        return None  # missing or damaged: recomputed from the source font
    return parts


def _coverage(source: FontSource) -> dict[str, frozenset[int]]:
    import json

    path = coverage_path(source)
    cached = _read_coverage(path, source)
    if cached is not None:
        return cached
    from fontTools.ttLib import TTFont

    parts = partition(source, TTFont(str(source.path()), lazy=True).getBestCmap())
    data = {name: _to_ranges(parts[name]) for name in source.part_names}
    _write_cache_file(path, (json.dumps(data, sort_keys=True) + "\n").encode("utf-8"))
    return parts


_COVERAGE: dict[str, dict[str, frozenset[int]]] = {}


def coverage(source: FontSource) -> dict[str, frozenset[int]]:
    """Code points of each part of ``source`` (cached on disk and per process)."""
    key = _source_key(source)
    if key not in _COVERAGE:
        _COVERAGE[key] = _coverage(source)
    return _COVERAGE[key]


# --------------------------------------------------------------------------- instances


def _write_cache_file(path: Path, data: bytes) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_bytes_atomic(path, data)
    except OSError as exc:
        raise _unwritable(path, exc) from None


def _unwritable(path: Path, exc: OSError) -> RenderError:
    return RenderError(
        problem(
            path,
            None,
            f"cannot write the font cache: {exc.strerror or exc}",
            "set PRESSPACK_CACHE_DIR to a writable directory",
        )
    )


def instance_path(source: FontSource, weight: int, part: str = MAIN) -> Path:
    key = instance_key(source, weight, part)
    return cache_dir() / f"{source.ps_base}{part}-{weight}-{key[:20]}.ttf"


def ensure_instance(source: FontSource, weight: int, part: str = MAIN) -> Path:
    """Return the cached instance, building it (under a file lock) if needed."""
    path = instance_path(source, weight, part)
    if path.is_file():
        return path
    from filelock import FileLock

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with FileLock(str(path) + ".lock", timeout=900):
            if not path.is_file():  # another process may have built it meanwhile
                data = build_instance(
                    source.path(),
                    source.family,
                    source.ps_base + part,
                    weight,
                    fixed_axes=source.fixed_axes,
                    unicodes=coverage(source)[part],
                )
                write_bytes_atomic(path, data)
    except OSError as exc:
        raise _unwritable(path, exc) from None
    return path


# Latin italics: the Italic source of Noto Sans, instanced like the others (used when a
# document has italic text; not part of any style's font chain).
ITALIC_SOURCE = FontSource(
    key="noto-sans-italic",
    family="Noto Sans Italic",
    ps_base="NotoSansItalic",
    package="fontpkg_noto_sans",
    relpath="files/NotoSans-Italic[wdth,wght].ttf",
    fixed_axes=(("wdth", 100.0),),
)


def _ensure(item: tuple[FontSource, int]) -> bool:
    ensure_instance(*item)
    return True


def prepare_instances(jobs: int) -> None:
    """Build the missing main instances at once, on up to ``jobs`` cores (a first run).

    A new user's first build makes five static instances: the Korean ones take 4-6 s
    each on one core, the Latin ones 1-2 s; in parallel the wait is about the Korean two. With cores to
    spare the Latin italic is made too (otherwise it waits until a document has italics).
    Should a worker fail, the rest is built here, where its error is reported as usual.
    """
    wanted = [(source, weight) for source in SOURCES.values() for weight in WEIGHTS]
    if jobs > 1:
        wanted.append((ITALIC_SOURCE, WEIGHTS[0]))
    missing = [(source, weight) for source, weight in wanted if not instance_path(source, weight).is_file()]
    if jobs > 1 and len(missing) > 1:
        from concurrent.futures import ProcessPoolExecutor

        with contextlib.suppress(Exception), ProcessPoolExecutor(min(jobs, len(missing))) as pool:
            list(pool.map(_ensure, missing))  # Korean first: SOURCES lists it first
    for source, weight in missing:
        ensure_instance(source, weight)  # nothing left to do, or what a worker could not


def fonts_cached() -> bool:
    """True when every main-part instance is already built (lets a CLI announce the
    one-time font preparation before it starts)."""
    return all(instance_path(source, weight).is_file() for source in SOURCES.values() for weight in WEIGHTS)


def ensure_face(key: str) -> FontFace:
    source = SOURCES[key]
    return FontFace(
        key=key,
        family=source.family,
        regular=ensure_instance(source, WEIGHTS[0]),
        bold=ensure_instance(source, WEIGHTS[1]),
    )


def describe_char(ch: str) -> str:
    """``U+0141 'Ł' (LATIN CAPITAL LETTER L WITH STROKE)`` for messages."""
    import unicodedata

    return f"U+{ord(ch):04X} {ch!r} ({unicodedata.name(ch, 'unnamed')})"


def segment(
    text: str, chain: Sequence[tuple[str, Container[int]]], memo: dict[str, str | None] | None = None
) -> list[tuple[str, str]]:
    """Split ``text`` into ``(font_key, run)`` pairs: first font in ``chain`` whose
    cmap has the character. A space joins the current run when that run's font has
    one (fewer font switches); a part made of rare characters only (rare Hangul,
    Hanja, other scripts) has none, and a space set in it printed as a box.

    ``memo`` (character → font key, kept by the caller for one chain) saves looking
    each character up in every font again: a document repeats a few hundred of them.

    Raises ``KeyError`` carrying the first character no font has; callers turn
    it into a RenderError with file and line (see :func:`missing_chars`).
    """
    if memo is None:
        memo = {}
    keys: set[str | None] = set()
    for ch in set(text):  # distinct characters: most runs of text are all in one font
        if ch not in memo:
            memo[ch] = _pick(ord(ch), chain)
        keys.add(memo[ch])
    only = next(iter(keys), None)
    if len(keys) == 1 and only is not None:
        return [(only, text)]  # one font for every character
    spaced = {key for key, cmap in chain if 0x20 in cmap}
    runs: list[tuple[str, list[str]]] = []
    for ch in text:
        if ch in memo:
            key = memo[ch]
        else:
            key = memo[ch] = _pick(ord(ch), chain)
        if key is None:
            if ch in " \n" and runs:
                key = runs[-1][0]
            else:
                raise KeyError(ch)
        if runs and (runs[-1][0] == key or (ch == " " and runs[-1][0] in spaced)):
            runs[-1][1].append(ch)
        else:
            runs.append((key, [ch]))
    return [(key, "".join(chars)) for key, chars in runs]


def _pick(cp: int, chain: Sequence[tuple[str, Container[int]]]) -> str | None:
    for key, cmap in chain:
        if cp in cmap:
            return key
    return None


def missing_chars(text: str, has: Callable[[int], bool]) -> list[str]:
    """Distinct characters of ``text`` that no font covers, in order of appearance."""
    return [ch for ch in dict.fromkeys(text) if ch not in " \n" and not has(ord(ch))]
