"""Property tests: rendering never drops a character; Markdown round-trips.

(Segmentation, glossary protect/restore and lint-on-arbitrary-bytes have
their own property tests beside their unit tests.)
"""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from toolkit.core.config import bundled_templates
from toolkit.core.document import Block, Meta, Release
from toolkit.core.inline import escape
from toolkit.render.docx import render_docx
from toolkit.render.pdf import render_pdf
from toolkit.render.style import load_style

STYLE = load_style(bundled_templates(), "default")

# Everything a Korean/English release plausibly holds, and the fonts cover:
# Hangul syllables, ASCII (markup characters included), Latin-1 and Latin
# Extended-A letters, typographic punctuation.
ALPHABET = st.one_of(
    st.characters(min_codepoint=0xAC00, max_codepoint=0xD7A3),
    st.characters(min_codepoint=0x21, max_codepoint=0x7E),
    st.characters(min_codepoint=0xC0, max_codepoint=0x17F, exclude_characters="×÷"),
    st.sampled_from(list("“”‘’·…—–ⓒ©")),
)
WORDS = st.lists(st.text(ALPHABET, min_size=1, max_size=12), min_size=1, max_size=40).map(" ".join)


def release_with(text: str, lang: str) -> Release:
    return Release(
        meta=Meta(title="T", lang="ko" if lang == "ko" else "en"),
        body=(Block(kind="paragraph", text=escape(text)),),  # block text is inline Markdown
    )


def squash(text: str) -> str:
    return "".join(text.split())


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=WORDS, lang=st.sampled_from(["ko", "en"]))
def test_pdf_never_drops_a_character(text: str, lang: str) -> None:
    pdf = render_pdf(release_with(text, lang), STYLE)
    with tempfile.NamedTemporaryFile(suffix=".pdf") as fh:
        fh.write(pdf)
        fh.flush()
        extracted = subprocess.run(
            ["pdftotext", "-raw", "-enc", "UTF-8", fh.name, "-"], capture_output=True, text=True, check=True
        ).stdout
    assert squash(text) in squash(extracted)


@settings(max_examples=30, deadline=None)
@given(text=WORDS, lang=st.sampled_from(["ko", "en"]))
def test_docx_never_drops_a_character(text: str, lang: str) -> None:
    import docx

    document = docx.Document(io.BytesIO(render_docx(release_with(text, lang), STYLE)))
    paragraphs = [p.text for p in document.paragraphs]
    assert text in paragraphs
