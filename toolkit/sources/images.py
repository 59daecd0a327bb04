"""Photos of a release: found inside the release folder only, checked and bounded with Pillow.

A release's Markdown names its photos by relative path (``![caption](photo.jpg)``).
The path must stay inside the release folder — no absolute paths, no ``..`` out
of it, no symlink pointing elsewhere — so building a release can never read
(and publish) an arbitrary file of the machine. Each file is opened with
Pillow before anything is written: only PNG, JPEG and WebP are accepted,
bounded in bytes and pixels (``image_bytes``, ``image_pixels`` in
:mod:`toolkit.core.limits`), and fully decoded once, so a truncated or
corrupt photo is an error with the file and line, never a broken pack.

Renderers get a :class:`Picture`: PNG and JPEG bytes are passed on unchanged
(byte-for-byte, so a pack embeds exactly the photo the office approved);
WebP, which neither Word nor reportlab embeds, is re-encoded once to PNG
with fixed settings and no metadata, which is deterministic.

Pictures inside a source document (``report.hwpx#BinData/image1.png``,
``release.docx#word/media/image1.png``) are read from that document's zip.
"""

from __future__ import annotations

import hashlib
import io
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Literal

from toolkit.core.document import Block, Release
from toolkit.core.errors import Problem, problem
from toolkit.core.limits import IMAGE_BYTES, IMAGE_PIXELS, LimitExceeded, read_bounded
from toolkit.core.lru import SizedLRU

__all__ = ["ImageError", "Picture", "check_images", "image_blocks", "load_picture", "picture_loader"]

ImageFormat = Literal["png", "jpeg"]
FORMATS: dict[str, str] = {"PNG": "png", "JPEG": "jpeg", "WEBP": "webp"}  # Pillow name → ours
# pictures already inside a Word/Hancom source may also be old formats: made PNG
EMBEDDED_FORMATS: dict[str, str] = {**FORMATS, "GIF": "webp", "BMP": "webp", "TIFF": "webp"}
DEFAULT_DPI = 96.0


@dataclass(frozen=True)
class Picture:
    """A checked photo, ready to embed."""

    data: bytes  # PNG or JPEG bytes
    format: ImageFormat
    width: int  # pixels
    height: int
    sha256: str  # of ``data``

    @property
    def extension(self) -> str:
        return "png" if self.format == "png" else "jpg"

    @property
    def aspect(self) -> float:
        """height / width."""
        return self.height / self.width


class ImageError(ValueError):
    """What is wrong with one photo, and how to fix it (callers add file and line)."""

    def __init__(self, what: str, fix: str) -> None:
        super().__init__(what)
        self.what = what
        self.fix = fix


def resolve(folder: Path, src: str) -> Path:
    """The file ``src`` names inside ``folder``; ImageError when it would leave the folder."""
    if not src.strip():
        raise ImageError("photo has no file name", "write ![caption](photo.jpg)")
    if "\\" in src or src.startswith("/") or PurePosixPath(src).is_absolute() or ":" in src.split("/")[0]:
        raise ImageError(
            f"photo '{src}' is not a path inside the release folder",
            "put the photo in the release folder and name it relatively, e.g. ![caption](photo.jpg)",
        )
    parts = PurePosixPath(src).parts
    if ".." in parts:
        raise ImageError(
            f"photo '{src}' points outside the release folder",
            "copy the photo into the release folder and name it relatively",
        )
    base = folder.resolve()
    path = (base / Path(*parts)).resolve()
    try:
        path.relative_to(base)
    except ValueError:  # a symlink leading out of the folder
        raise ImageError(
            f"photo '{src}' points outside the release folder",
            "copy the photo into the release folder (not a link to it)",
        ) from None
    return path


# Checked photos of this process by file and content: a release's photo is read by the
# check of each language and by each renderer (8 times for ko+en in DOCX, PDF and HWPX),
# and decoding every pixel is what checking costs. Keyed by the file *and* its bytes: a
# photo saved again is checked again, and another release's copy of it is its own file.
# Bounded by the bytes kept (the photos of the last release or two), oldest out first.
_CHECKED: SizedLRU[tuple[str, str, bool, int], Picture] = SizedLRU(lambda p: len(p.data))
_CHECKED_BYTES = 48 * 1024 * 1024


def _decode_once(where: str, data: bytes, name: str, *, embedded: bool = False) -> Picture:
    key = (where, hashlib.sha256(data).hexdigest(), embedded, IMAGE_PIXELS.value)
    found = _CHECKED.get(key)
    if found is None:
        found = _decode(data, name, embedded=embedded)
        _CHECKED.put(key, found, limit=_CHECKED_BYTES)
    return found


def _decode(data: bytes, name: str, *, embedded: bool = False) -> Picture:
    from PIL import Image

    cap = IMAGE_PIXELS.value
    allowed = EMBEDDED_FORMATS if embedded else FORMATS
    with warnings.catch_warnings():
        # Pillow's own warning for a big image would print a raw Python warning before
        # ours: the image_pixels cap below says it, with the fix
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        return _decode_checked(data, name, cap, allowed)


def _decode_checked(data: bytes, name: str, cap: int, allowed: dict[str, str]) -> Picture:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as probe:
            kind = allowed.get(probe.format or "")
            width, height = probe.size
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        raise ImageError(
            f"photo '{name}' is not a readable PNG, JPEG or WebP image",
            "export it again as .jpg or .png",
        ) from None
    if kind is None:
        raise ImageError(
            f"photo '{name}' is {probe.format or 'an unknown format'}, not PNG, JPEG or WebP",
            "export it as .jpg or .png",
        )
    if width < 1 or height < 1:
        raise ImageError(f"photo '{name}' has no pixels", "export it again")
    if width * height > cap:
        raise ImageError(
            IMAGE_PIXELS.message(f"photo '{name}' ({width} × {height} pixels)"),
            f"make it smaller (a print photo needs about 3000 × 2000), or raise {IMAGE_PIXELS.env}",
        )
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.load()  # decodes every pixel: a truncated file fails here, not in Word
            if kind == "webp":  # (and the old formats of embedded pictures)
                png = io.BytesIO()
                converted = image.convert("RGBA" if "A" in image.getbands() else "RGB")
                converted.save(png, format="PNG", optimize=False, compress_level=6)
                data = png.getvalue()
                kind = "png"
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        raise ImageError(
            f"photo '{name}' is damaged (it cannot be decoded to the end)",
            "export it again as .jpg or .png",
        ) from None
    fmt: ImageFormat = "png" if kind == "png" else "jpeg"
    return Picture(data, fmt, width, height, hashlib.sha256(data).hexdigest())


def _read_embedded(folder: Path, src: str) -> bytes:
    """A picture inside a source document: ``doc.hwpx#BinData/x.png`` / ``doc.docx#word/media/x.png``."""
    from toolkit.core.safezip import SafeZip

    doc_name, _, member = src.partition("#")
    doc = resolve(folder, doc_name)
    try:
        with SafeZip(doc) as archive:
            return archive.read(member)
    except (OSError, KeyError, ValueError, LimitExceeded) as exc:
        raise ImageError(
            f"picture '{member}' cannot be read from {doc_name} ({exc})",
            "save the document again, or replace the picture",
        ) from None


def load_picture(folder: Path, src: str) -> Picture:
    """Read and check the photo ``src`` of a release in ``folder``."""
    if "#" in src:
        where = f"{resolve(folder, src.partition('#')[0])}#{src.partition('#')[2]}"
        return _decode_once(where, _read_embedded(folder, src), src, embedded=True)
    path = resolve(folder, src)
    if not path.is_file():
        raise ImageError(
            f"photo '{src}' not found",
            f"put {PurePosixPath(src).name} in the release folder or fix the name (it is case-sensitive)",
        )
    try:
        data = read_bounded(path, IMAGE_BYTES, subject=f"photo '{src}'")
    except LimitExceeded as exc:
        raise ImageError(
            exc.what, "make the file smaller (a print photo rarely needs more than 10 MiB)"
        ) from None
    except OSError as exc:
        raise ImageError(
            f"photo '{src}' cannot be read: {exc.strerror or exc}", "check its permissions"
        ) from None
    return _decode_once(str(path), data, src)


def image_blocks(release: Release) -> tuple[Block, ...]:
    """Every photo block of a release, in reading order."""
    return tuple(b for b in (*release.body, *release.about, *release.attachments) if b.kind == "image")


def check_images(path: Path, blocks: Sequence[Block]) -> list[Problem]:
    """One problem per photo that is missing, outside the folder, of a wrong kind or damaged."""
    problems: list[Problem] = []
    folder = path.parent
    for block in blocks:
        if block.kind != "image":
            continue
        try:
            load_picture(folder, block.src)
        except ImageError as exc:
            problems.append(problem(path, block.line or None, exc.what, exc.fix))
    return problems


def picture_loader(release: Release) -> Callable[[str], Picture]:
    """``src`` → Picture for one release, each file read and decoded once."""
    folder = Path(release.source_path).parent if release.source_path else Path(".")
    cache: dict[str, Picture] = {}

    def load(src: str) -> Picture:
        if src not in cache:
            cache[src] = load_picture(folder, src)
        return cache[src]

    return load
