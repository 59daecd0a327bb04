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

    def _segments(self, sentences: Sequence[str]) -> tuple[list[_Segment], list[list[str]]]:
        """The pieces to translate and their source tokens (one SentencePiece call for all
        sentences; only a sentence over the token budget is split and encoded again)."""
        stripped = [(index, *_strip_parts(sentence)) for index, sentence in enumerate(sentences)]
        stripped = [row for row in stripped if row[2]]
        encoded: list[list[str]] = self._sp.encode([core for _, _, core, _ in stripped], out_type=str)
        segments: list[_Segment] = []
        tokens: list[list[str]] = []
        for (index, lead, core, trail), pieces in zip(stripped, encoded, strict=True):
            if len(core) <= 1 or len(pieces) <= self.max_segment_tokens:  # split_overlong's own test
                segments.append(_Segment(index, lead, core, trail))
                tokens.append(pieces)
                continue
            parts = split_overlong(core, self.count_tokens, self.max_segment_tokens)
            split: list[_Segment] = []
            for i, part in enumerate(parts):
                p_lead, p_core, p_trail = _strip_parts(part)
                if not p_core:
                    continue
                split.append(
                    _Segment(
                        index,
                        (lead if i == 0 else "") + p_lead,
                        p_core,
                        p_trail + (trail if i == len(parts) - 1 else ""),
                    )
                )
            segments.extend(split)
            tokens.extend(self._sp.encode([seg.core for seg in split], out_type=str))
        return segments, tokens

    def _decode(self, hypotheses: list[list[str]]) -> list[str]:
        """Target text of each hypothesis (one SentencePiece call for all of them)."""
        if self.target_prefix:
            prefix = self.target_prefix
            for i, pieces in enumerate(hypotheses):
                start = 0
                while start < len(pieces) and pieces[start] == prefix:
                    start += 1
                hypotheses[i] = pieces[start:]
        # sp.decode maps only the word-boundary marker ▁ to a space and rebuilds
        # byte-fallback pieces; "_" stays "_" (argos replaces it with a space).
        texts: list[str] = self._sp.decode(hypotheses)
        return [text.strip() for text in texts]

    def translate_batch(self, sentences: Sequence[str], *, num_hypotheses: int = 1) -> list[list[str]]:
        if num_hypotheses < 1:
            raise ValueError("num_hypotheses must be >= 1")
        segments, tokens = self._segments(sentences)
        outputs: list[list[str]] = []
        if segments:
            sources = [[self.source_prefix, *t] for t in tokens] if self.source_prefix else tokens
            longest = max(len(s) for s in sources)
            # Asking for n hypotheses costs no decoding: with a length penalty set
            # (argos' 0.2; the bare default is 1), CTranslate2's beam search never
            # exits early and always runs until beam_size hypotheses are finished,
            # whatever num_hypotheses is, and the best of them is the same either way.
            options: dict[str, Any] = {
                "beam_size": max(self.beam_size, num_hypotheses),
                "num_hypotheses": num_hypotheses,
                "max_batch_size": 4096,
                "batch_type": "tokens",
                "max_decoding_length": max(MIN_DECODING_LENGTH, 2 * longest + 16),
                "length_penalty": 0.2,
                "replace_unknowns": True,
            }
            if self.target_prefix:
                options["target_prefix"] = [[self.target_prefix]] * len(sources)
            with self._lock:
                results = self._model.translate_batch(sources, **options)
            flat = [list(h) for result in results for h in result.hypotheses]
            texts = iter(self._decode(flat) if flat else [])
            for result in results:
                outputs.append([next(texts) for _ in result.hypotheses] or [""])
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
