"""A realistic-size argos package for the translate benchmarks, built without torch.

Shape like argos ko↔en 1.1: a Transformer with 6 encoder and 6 decoder layers,
d_model 512, 8 heads, FFN 2048, a ~32k-piece SentencePiece vocabulary, int8
weights (~100 MB on disk). Decoding cost depends on those shapes, not on the
weight values, so the values are chosen for a *known output length*: random
weights almost never emit ``</s>`` on a schedule, and each tool's own
``max_decoding_length`` would then decide how much work it does. Instead, as
in :mod:`toolkit.testing`'s copy model, decoder layer 0's cross-attention
(head 0) copies source token t at step t and every other sub-layer adds zero
through full-size matrices, so every hypothesis ends at the source length,
the way a real translation roughly does.

The SentencePiece model is trained (unigram, fixed seed) on the benchmark's
Korean *and* English sentences plus generated words, so that 32k pieces exist.
English matters: a real ko↔en package's SentencePiece is trained on both
sides of its corpus (it decodes the English output), and presspack sends
approved English names inside the Korean text. Recipe 1 saw Korean only
(and lower-case random letters): every capital was a byte-fallback piece and
"Changwon Special City" took 13 pieces instead of 4, so the copy model
decoded 50% more tokens for presspack than for the bare engine.
Built once and cached (see ``cached_package``): training and int8
conversion take about a minute.
"""

from __future__ import annotations

import hashlib
import io
import json
import random
import shutil
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

LAYERS = 6
D_MODEL = 512
HEADS = 8
FFN = 2048
VOCAB = 32_000
MAX_POSITIONS = 1024
RECIPE = "2"  # bump when anything below changes (invalidates the cache)
_CONTENT = 64  # token identity lives in dims [0, 64), position code in [64, 128)
_SEED = 20261201


def training_text(sentences: Sequence[str], *, words: int = 400_000, seed: int = _SEED) -> list[str]:
    """Real sentences plus lines of generated Hangul and Latin words (enough variety for 32k pieces)."""
    rng = random.Random(seed)
    syllables = sorted({ch for s in sentences for ch in s if "\uac00" <= ch <= "\ud7a3"})
    if len(syllables) < 200:  # tiny input: draw from the whole Hangul block instead
        syllables = [chr(cp) for cp in range(0xAC00, 0xD7A4, 7)]
    latin = "etaoinshrdlcumwfgypbvkjxqz"
    lines = list(sentences)
    line: list[str] = []
    for i in range(words):
        if rng.random() < 0.6:
            word = "".join(rng.choice(syllables) for _ in range(rng.randint(1, 4)))
        else:
            word = "".join(rng.choice(latin) for _ in range(rng.randint(2, 9)))
        line.append(word)
        if len(line) >= 12 or i == words - 1:
            lines.append(" ".join(line))
            line = []
    return lines


def train_sentencepiece(lines: Sequence[str], vocab_size: int = VOCAB) -> bytes:
    import sentencepiece as spm

    out = io.BytesIO()
    spm.set_random_generator_seed(_SEED)
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(lines),
        model_writer=out,
        model_type="unigram",
        vocab_size=vocab_size,
        hard_vocab_limit=False,
        byte_fallback=True,
        character_coverage=1.0,
        input_sentence_size=0,
        num_threads=2,
        minloglevel=2,
    )
    return out.getvalue()


def _import_transformer_spec() -> Any:
    from toolkit.testing import _import_transformer_spec  # hides torch while ctranslate2 imports

    return _import_transformer_spec()


def model_spec(vocab: list[str]) -> Any:
    """The 6+6-layer spec: copy through layer 0's cross-attention, zero elsewhere."""
    import numpy as np

    from toolkit.testing import _content_vectors, _position_codes

    transformer_spec = _import_transformer_spec()
    f32 = np.float32
    d, c, head = D_MODEL, _CONTENT, D_MODEL // HEADS
    content = np.zeros((len(vocab), d))
    content[:, :c] = _content_vectors(len(vocab))
    positions = np.zeros((MAX_POSITIONS, d))
    codes = _position_codes(MAX_POSITIONS)
    positions[:, c : c + codes.shape[1]] = codes
    spec = transformer_spec.TransformerSpec.from_config(LAYERS, num_heads=HEADS)
    spec.config.add_source_eos = True

    def layer_norm(ln: Any) -> None:
        ln.gamma = np.ones(d, dtype=f32)
        ln.beta = np.zeros(d, dtype=f32)

    def linear(lin: Any, weight: Any) -> None:
        lin.weight = np.ascontiguousarray(weight, dtype=f32)
        lin.bias = np.zeros(weight.shape[0], dtype=f32)

    def zero_ffn(ffn: Any) -> None:
        layer_norm(ffn.layer_norm)
        linear(ffn.linear_0, np.zeros((FFN, d)))
        linear(ffn.linear_1, np.zeros((d, FFN)))

    def zero_self_attention(att: Any) -> None:
        layer_norm(att.layer_norm)
        linear(att.linear[0], np.zeros((3 * d, d)))
        linear(att.linear[1], np.zeros((d, d)))

    # Zero-mean inputs of norm n become x * sqrt(d) / n after LayerNorm: encoder
    # outputs are (content + position) * sqrt(d / 2), the decoder's normalised
    # input is its position code * sqrt(d).
    enc_scale, dec_scale = np.sqrt(d / 2), np.sqrt(d)
    sharpness = 360.0  # logit gap ~60 between the right and the nearest wrong position
    query_gain = sharpness * np.sqrt(head) / (dec_scale * enc_scale)
    pos = slice(c, c + codes.shape[1])

    encoder = spec.encoder
    encoder.scale_embeddings = False
    encoder.embeddings[0].weight = content.astype(f32)
    encoder.position_encodings.encodings = positions.astype(f32)
    layer_norm(encoder.layer_norm)
    for layer in encoder.layer:
        zero_self_attention(layer.self_attention)
        zero_ffn(layer.ffn)

    decoder = spec.decoder
    decoder.scale_embeddings = False
    decoder.embeddings.weight = np.zeros((len(vocab), d), dtype=f32)
    decoder.position_encodings.encodings = positions.astype(f32)
    layer_norm(decoder.layer_norm)
    for index, layer in enumerate(decoder.layer):
        zero_self_attention(layer.self_attention)
        zero_ffn(layer.ffn)
        cross = layer.attention
        layer_norm(cross.layer_norm)
        query, keys_values, output = np.zeros((d, d)), np.zeros((2 * d, d)), np.zeros((d, d))
        if index == 0:
            width = codes.shape[1]
            query[:width, pos] = np.eye(width) * query_gain  # head 0 query: position
            keys_values[:width, pos] = np.eye(width)  # head 0 key: position
            keys_values[d : d + c, :c] = np.eye(c)  # head 0 value: content
            output[:c, :c] = np.eye(c) / enc_scale  # back to unit content vectors
        linear(cross.linear[0], query)
        linear(cross.linear[1], keys_values)
        linear(cross.linear[2], output)
    logit_gain = 80.0 / enc_scale
    linear(decoder.projection, content * logit_gain)
    spec.register_source_vocabulary(vocab)
    spec.register_target_vocabulary(vocab)
    spec.validate()
    return spec


def build_package(dest: Path, sentences: Sequence[str], from_code: str = "ko", to_code: str = "en") -> Path:
    """Write ``translate-<from>_<to>-1_1.argosmodel`` under ``dest`` and return its path."""
    import sentencepiece as spm

    from toolkit.testing import _write_zip

    sp_bytes = train_sentencepiece(training_text(sentences))
    sp = spm.SentencePieceProcessor(model_proto=sp_bytes)
    vocab = [sp.id_to_piece(i) for i in range(sp.get_piece_size())]
    spec = model_spec(vocab)
    spec.optimize(quantization="int8")
    top = f"translate-{from_code}_{to_code}-1_1"
    dest.mkdir(parents=True, exist_ok=True)
    out = dest / f"{top}.argosmodel"
    meta = {
        "package_version": "1.1",
        "argos_version": "1.5",
        "from_code": from_code,
        "from_name": "Korean",
        "to_code": to_code,
        "to_name": "English",
        "type": "translate",
        "links": [],
        "bench": {"layers": LAYERS, "d_model": D_MODEL, "heads": HEADS, "ffn": FFN, "vocab": len(vocab)},
    }
    with tempfile.TemporaryDirectory(prefix="bench-model-") as tmp:
        root = Path(tmp)
        (root / "model").mkdir()
        spec.save(str(root / "model"))
        (root / "sentencepiece.model").write_bytes(sp_bytes)
        (root / "metadata.json").write_text(json.dumps(meta, indent=2) + "\n", "utf-8")
        _write_zip(out, root, top)
    return out


def cached_package(cache: Path, sentences: Sequence[str], log: Any = None) -> tuple[Path, dict[str, Any]]:
    """The package for ``sentences``, built once per recipe and input (kept in ``cache``)."""
    import ctranslate2

    key = hashlib.sha256(
        "\n".join([RECIPE, ctranslate2.__version__, sys.version.split()[0], *sentences]).encode()
    ).hexdigest()[:16]
    folder = cache / f"realistic-{key}"
    package = folder / "translate-ko_en-1_1.argosmodel"
    if not package.is_file():
        if log:
            log(f"translate: building the realistic-size model once (cached in {folder})")
        tmp = cache / f".building-{key}"
        shutil.rmtree(tmp, ignore_errors=True)
        build_package(tmp, sentences)
        shutil.rmtree(folder, ignore_errors=True)
        tmp.rename(folder)
    import zipfile

    with zipfile.ZipFile(package) as zf:
        meta = json.loads(zf.read("translate-ko_en-1_1/metadata.json"))
    return package, dict(meta["bench"], size_mb=round(package.stat().st_size / 1e6, 1))
