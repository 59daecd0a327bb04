"""Offline translation: argos packages run directly through CTranslate2 + SentencePiece.

Not via ``argostranslate.translate``: importing it costs ~2.6 s / 330 MB (torch,
stanza, spacy), its sentence splitters download models at run time, it never
sets ``max_decoding_length`` (long segments are silently truncated) and its
decoder turns ``_`` into spaces. This module imports ctranslate2/sentencepiece
lazily and never opens a socket.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from toolkit.core.errors import ModelError, Problem
from toolkit.core.limits import METADATA_BYTES, loads_json, read_bounded
from toolkit.mt.models import InstalledPackage, find_package
from toolkit.mt.segmentation import split_overlong

__all__ = [
    "CTranslate2Translator",
    "Translator",
    "clear_translator_cache",
    "load_translator",
]

DEFAULT_MAX_SEGMENT_TOKENS = 100  # longer segments are split at clause boundaries first
DEFAULT_BEAM_SIZE = 4
MIN_DECODING_LENGTH = 256


class Translator(Protocol):
    """What the pipeline needs from a translation engine."""

    model_id: str

    def translate_batch(self, sentences: Sequence[str], *, num_hypotheses: int = 1) -> list[list[str]]:
        """One list of hypotheses (best first) per input sentence."""
        ...


@dataclass(frozen=True)
class _Segment:
    sentence: int  # index of the input sentence this piece belongs to
    lead: str
    core: str
    trail: str


def _strip_parts(text: str) -> tuple[str, str, str]:
    core = text.strip()
    if not core:
        return text, "", ""
    lead = text[: len(text) - len(text.lstrip())]
    trail = text[len(text.rstrip()) :]
    return lead, core, trail


def _model_error(package: InstalledPackage, what: str) -> ModelError:
    pair = f"{package.from_code} {package.to_code}"
    return ModelError(
        Problem(
            file=str(package.path),
            line=None,
            what=what,
            fix=f"reinstall it with 'presspack models install {pair}' or "
            "'presspack models install FILE.argosmodel'",
        )
    )


def _join_hypothesis(pieces: list[tuple[_Segment, list[str]]], k: int) -> str:
    # A piece with fewer hypotheses than others contributes its last (worst) one.
    return "".join(seg.lead + hyps[min(k, len(hyps) - 1)] + seg.trail for seg, hyps in pieces)


class CTranslate2Translator:
    """Translate with an installed argos package; batches a whole document per call."""

    def __init__(
        self,
        package: InstalledPackage,
        *,
        beam_size: int = DEFAULT_BEAM_SIZE,
        max_segment_tokens: int = DEFAULT_MAX_SEGMENT_TOKENS,
        compute_type: str = "default",
        intra_threads: int | None = None,
    ) -> None:
        self.package = package
        self.model_id = package.model_id
        self.beam_size = beam_size
        self.max_segment_tokens = max_segment_tokens
        try:
            raw = read_bounded(package.path / "metadata.json", METADATA_BYTES)
            meta = loads_json(raw, subject="metadata.json")
        except (OSError, ValueError) as exc:  # LimitExceeded is a ValueError
            raise _model_error(package, f"cannot read metadata.json ({exc})") from exc
        if not isinstance(meta, dict):
            raise _model_error(package, "metadata.json must hold a JSON object")
        self.target_prefix = str(meta.get("target_prefix") or "")
        self.source_prefix = str(meta.get("source_prefix") or "")
        sp_path = package.path / "sentencepiece.model"
        if not sp_path.is_file():
            raise _model_error(package, "no sentencepiece.model (BPE-tokenized packages are not supported)")
        import ctranslate2
        import sentencepiece

        try:
            self._sp = sentencepiece.SentencePieceProcessor(model_file=str(sp_path))
        except Exception as exc:  # sentencepiece raises OSError or RuntimeError
            raise _model_error(package, f"cannot load sentencepiece.model ({exc})") from exc
        threads = intra_threads if intra_threads is not None else min(4, os.cpu_count() or 1)
        try:
            self._model = ctranslate2.Translator(
                str(package.path / "model"),
                device="cpu",
                compute_type=compute_type,
                inter_threads=1,
                intra_threads=threads,
            )
        except Exception as exc:  # ctranslate2 maps C++ errors to assorted types
            raise _model_error(package, f"cannot load the CTranslate2 model ({exc})") from exc
        self._lock = threading.Lock()  # one document at a time; ctranslate2 uses the threads

    def count_tokens(self, text: str) -> int:
        return len(self._sp.encode(text))

    def _segments(self, sentences: Sequence[str]) -> list[_Segment]:
        segments: list[_Segment] = []
        for index, sentence in enumerate(sentences):
            lead, core, trail = _strip_parts(sentence)
            if not core:
                continue
            parts = split_overlong(core, self.count_tokens, self.max_segment_tokens)
            for i, part in enumerate(parts):
                p_lead, p_core, p_trail = _strip_parts(part)
                if not p_core:
                    continue
                segments.append(
                    _Segment(
                        index,
                        (lead if i == 0 else "") + p_lead,
                        p_core,
                        p_trail + (trail if i == len(parts) - 1 else ""),
                    )
                )
        return segments

    def _decode(self, pieces: list[str]) -> str:
        if self.target_prefix:
            while pieces and pieces[0] == self.target_prefix:
                pieces = pieces[1:]
        # sp.decode maps only the word-boundary marker ▁ to a space and rebuilds
        # byte-fallback pieces; "_" stays "_" (argos replaces it with a space).
        text: str = self._sp.decode(pieces)
        return text.strip()

    def translate_batch(self, sentences: Sequence[str], *, num_hypotheses: int = 1) -> list[list[str]]:
        if num_hypotheses < 1:
            raise ValueError("num_hypotheses must be >= 1")
        segments = self._segments(sentences)
        outputs: list[list[str]] = []
        if segments:
            sources: list[list[str]] = []
            for seg in segments:
                tokens = self._sp.encode(seg.core, out_type=str)
                sources.append(([self.source_prefix] if self.source_prefix else []) + tokens)
            longest = max(len(s) for s in sources)
            options: dict[str, Any] = {
                "beam_size": max(self.beam_size, num_hypotheses),
                "num_hypotheses": num_hypotheses,
                "max_batch_size": 4096,
                "batch_type": "tokens",
                "max_decoding_length": max(MIN_DECODING_LENGTH, 2 * longest + 16),
                "length_penalty": 0.2,
                "replace_unknowns": True,
                "return_scores": True,
            }
            if self.target_prefix:
                options["target_prefix"] = [[self.target_prefix]] * len(sources)
            with self._lock:
                results = self._model.translate_batch(sources, **options)
            for result in results:
                hyps = [self._decode(list(h)) for h in result.hypotheses]
                outputs.append(hyps or [""])
        # Re-assemble: hypothesis k of a sentence = hypothesis k of each of its pieces.
        by_sentence: dict[int, list[tuple[_Segment, list[str]]]] = {}
        for seg, hyps in zip(segments, outputs, strict=True):
            by_sentence.setdefault(seg.sentence, []).append((seg, hyps))
        translated: list[list[str]] = []
        for index, sentence in enumerate(sentences):
            pieces = by_sentence.get(index)
            if not pieces:
                translated.append([sentence] * num_hypotheses)
                continue
            count = max(len(h) for _, h in pieces)
            translated.append([_join_hypothesis(pieces, k) for k in range(count)])
        return translated


_CACHE: dict[InstalledPackage, CTranslate2Translator] = {}
_CACHE_LOCK = threading.Lock()


def load_translator(from_code: str, to_code: str) -> Translator:
    """The translator for a pair, loaded once per process (per installed package build)."""
    package = find_package(from_code, to_code)
    with _CACHE_LOCK:
        translator = _CACHE.get(package)
        if translator is None or translator.model_id != package.model_id:
            translator = CTranslate2Translator(package)
            _CACHE[package] = translator
        return translator


def clear_translator_cache() -> None:
    """Forget loaded models (tests, or after installing/removing packages)."""
    with _CACHE_LOCK:
        _CACHE.clear()
