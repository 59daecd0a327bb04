"""reportlab's slowest start-up work, made cheap without changing what it does.

Two things reportlab redoes in every process, compiling two regular expressions and
parsing the TrueType fonts (see :func:`load_ttfont`, below), and one for every photo,
decoding it to name it (see :func:`photo`).

The patterns: reportlab.platypus.paragraph's URL pattern (case-insensitive classes
spanning U+00A1–U+FFFF, 35 ms to compile, 6% of a one-release build) and
reportlab.lib.textsplit's CJK class, compiled from exact equivalents and put in ``re``'s
cache just before reportlab is imported: :func:`seed`, :mod:`toolkit.core.seeded`.
"""

from __future__ import annotations

import contextlib
import fnmatch
import functools
import hashlib
import io
import marshal
import sys
import weakref
from pathlib import Path
from typing import Any

from toolkit.core import seeded
from toolkit.core.atomic import write_bytes_atomic


def seed() -> None:
    """Make reportlab's import find its URL and CJK patterns compiled (call before it)."""
    if "reportlab.platypus.paragraph" not in sys.modules:
        seeded.seed_reportlab()


# --- parsed TrueType metrics, kept beside each font instance -------------------------------
#
# reportlab parses a TrueType file in Python (cmap, hmtx, glyph offsets: tens of thousands
# of struct reads): 20-40 ms for each of the four instances a Korean-and-English build
# uses, every run. What it derives depends only on the file's bytes and reportlab's
# version, so it is saved once beside the instance (marshal: plain data, nothing that runs
# on load) and read back in a few milliseconds. The file's own bytes are still read and
# must hash to what the saved metrics were made from; anything unexpected means a parse.

_NAME_BYTES = "__name_bytes__"  # keys of reportlab's TTFNameBytes (a bytes subclass) values
_DATA_SHA = "__sha256__"
_SKIP = ("_ttf_data", "_pdfScale")  # the file itself, and a lambda made from unitsPerEm


def metrics_path(path: Path) -> Path:
    from reportlab import Version

    return path.with_name(f"{path.name}.reportlab-{Version}.metrics")


def _face_state(face: Any, sha: str) -> bytes:
    from reportlab.pdfbase.ttfonts import TTFNameBytes

    state = {k: v for k, v in vars(face).items() if k not in _SKIP}
    names = [k for k, v in state.items() if isinstance(v, TTFNameBytes)]
    state = {k: bytes(v) if k in names else v for k, v in state.items()}
    state[_NAME_BYTES] = names
    state[_DATA_SHA] = sha
    return marshal.dumps(state)


def _face_from_state(blob: bytes, data: bytes, sha: str) -> Any | None:
    from reportlab.pdfbase.ttfonts import TTFNameBytes, TTFontFace

    try:
        state = marshal.loads(blob)
    except (ValueError, EOFError, TypeError):
        return None
    if not isinstance(state, dict) or state.pop(_DATA_SHA, None) != sha:
        return None
    names = state.pop(_NAME_BYTES, [])
    per_em = state.get("unitsPerEm")
    if not isinstance(names, list) or not isinstance(per_em, int) or per_em <= 0:
        return None
    face = TTFontFace.__new__(TTFontFace)
    face.__dict__.update({k: TTFNameBytes(v) if k in names else v for k, v in state.items()})
    face._ttf_data = data
    # as TTFontFile.extractInfo makes it
    face._pdfScale = (lambda x: x) if per_em == 1000 else (lambda x, m=1000 / per_em: x * m)
    return face


def load_ttfont(name: str, path: Path) -> Any:
    """reportlab's ``TTFont(name, path)``, its parse saved beside the file the first time."""
    from reportlab import rl_config
    from reportlab.pdfbase.ttfonts import TTEncoding, TTFont, unShapedFontGlob

    data = path.read_bytes()
    sha = hashlib.sha256(data).hexdigest()
    saved = metrics_path(path)
    try:
        face = _face_from_state(saved.read_bytes(), data, sha)
    except OSError:
        face = None
    if face is None:
        font = TTFont(name, str(path))
        with contextlib.suppress(OSError, ValueError):  # a read-only cache: parse every time
            write_bytes_atomic(saved, _face_state(font.face, sha))
        return font
    # TTFont.__init__ with the face given rather than parsed (tests compare the two objects)
    font = TTFont.__new__(TTFont)
    font.fontName = name
    font.face = face
    font.encoding = TTEncoding()
    font.state = weakref.WeakKeyDictionary()
    font._asciiReadable = rl_config.ttfAsciiReadable
    font.shapable = not any(fnmatch.fnmatch(name, glob) for glob in unShapedFontGlob)
    return font


# --- photos --------------------------------------------------------------------------------
#
# reportlab's drawImage names each image by the md5 of its decoded pixels (so that one
# drawn twice is embedded once): for a 3000 × 2000 JPEG, a full decode and 18 MB hashed
# per PDF, though a JPEG goes into the PDF as its own bytes (DCTDecode) and is never
# decoded otherwise. A checked photo already has a name — the sha256 of its file — so it
# is given to reportlab as its pixel data for naming; PNGs, whose pixels reportlab does
# embed, are read as before.


def photo(data: bytes, sha256: str, width: float, height: float) -> Any:
    """A reportlab Image flowable of a checked photo (JPEG or PNG bytes)."""
    from reportlab.platypus import Image

    flowable = Image(io.BytesIO(data), width=width, height=height)
    flowable._img = _named_reader()(io.BytesIO(data), sha256)  # instead of ImageReader(data)
    return flowable


@functools.cache
def _named_reader() -> type:
    from reportlab.lib.utils import ImageReader

    class NamedReader(ImageReader):  # type: ignore[misc]
        def __init__(self, file: io.BytesIO, sha256: str) -> None:
            super().__init__(file)
            self._name = ("sha256:" + sha256).encode("ascii")

        def getRGBData(self) -> Any:  # reportlab's name
            if self.jpeg_fh() is not None:  # asked only by drawImage, for the name
                self._dataA = None  # a JPEG has no alpha channel (drawImage reads this next)
                return self._name
            return super().getRGBData()

    return NamedReader
