"""Test helpers: a tiny exact *copy model* package, an isolated argos env, a fake translator.

Public on purpose (like ``structlog.testing``): pipeline tests need a real
CTranslate2 + SentencePiece package whose output is predictable (output ==
input), built in milliseconds without torch or the network.

How the copy model works (1 encoder + 1 decoder layer, one head, pre-norm):
every token has a zero-mean unit *content* vector; positions have a
constant-norm, zero-mean sinusoidal *position code* in separate dimensions.
Self-attention and FFN outputs are zero, so each block passes its input
through and every LayerNorm is a constant rescaling. The decoder input is only
its position code (embeddings are zero); cross-attention matches decoder
position t to source position t (query/key on the position dimensions) and
fetches that token's content vector (value); the output projection scores
every vocabulary entry by its content vector, so step t emits source token t,
and ``add_source_eos`` makes it emit ``</s>`` after the last token.
"""

from __future__ import annotations

import io
import json
import sys
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

__all__ = [
    "DEFAULT_CORPUS",
    "FakeTranslator",
    "build_copy_package",
    "isolated_argos_env",
]

_KO_LINES = (
    "창원특례시는 25일 시청 대회의실에서 방위산업 육성 협약식을 열었다고 밝혔다.",
    "이번 협약으로 지역 중소기업의 수출 경쟁력이 크게 높아질 것으로 기대된다.",
    "시장은 “방산 기업과 함께 세계 시장에 진출하겠다”고 말했다.",
    "행사에는 국방부와 방위사업청 관계자 등 100여 명이 참석했다.",
    "시는 올해 예산 3조 5천억 원 가운데 2.5%를 첨단 산업에 투자한다.",
    "국방과학연구소와 공동으로 무인 잠수정 시험 평가를 진행할 예정이다.",
    "자세한 내용은 시 홈페이지에서 확인할 수 있습니다.",
    "문의: 창원특례시 방위산업과 055-225-0000",
    "해군 잠수함사령부는 창설 30주년 기념식을 진해 군항에서 개최했다.",
    "경상남도는 항공우주 산업 클러스터 조성 사업을 본격 추진한다고 발표했다.",
    "K9 자주포와 K2 전차의 수출 계약이 체결되면서 부품 업체의 주문이 늘었다.",
    "시민 여러분의 많은 관심과 참여를 부탁드립니다.",
    "이 보도자료는 배포 즉시 보도할 수 있습니다.",
    "지난 11월 열린 박람회에는 12개국 250개 기업이 참가했다.",
    "왜 지금 방산 혁신이 필요한가요?",
    "정부는 내년부터 연구개발 지원금을 두 배로 늘리기로 했다.",
    "마산합포구와 진해구 일대에서 안전 점검이 실시된다.",
    "사업비는 국비 60억 원과 시비 40억 원으로 마련된다.",
    "협약 기관들은 인력 양성과 기술 이전에 힘을 모으기로 했다.",
    "앞으로도 시민의 안전과 지역 경제 활성화를 위해 최선을 다하겠습니다.",
)

_EN_LINES = (
    "Changwon Special City announced on Nov. 25 that it signed a defense industry agreement.",
    "The agreement is expected to boost the export competitiveness of local small businesses.",
    '"We will enter the global market together with defense companies," the mayor said.',
    "About 100 officials from the Ministry of National Defense attended the ceremony.",
    "The city will invest 2.5% of its 3.5 trillion won budget in advanced industries.",
    "Test and evaluation of unmanned underwater vehicles will be carried out jointly.",
    "For details, please visit the city website or call the Defense Industry Division.",
    "The Republic of Korea Navy Submarine Command marked its 30th anniversary in Jinhae.",
    "Gyeongsangnam-do Province will build an aerospace industry cluster by 2030.",
    "Orders for parts suppliers increased after export contracts for the K9 and K2 were signed.",
    "This press release may be published immediately upon distribution.",
    "Companies from 12 countries took part in the exhibition held last November.",
    "Why is defense innovation needed now?",
    "The government decided to double research and development funding next year.",
    "Safety inspections will take place in Masanhappo-gu and Jinhae-gu.",
    "The project costs 6 billion won in national funds and 4 billion won in city funds.",
    "The partners agreed to cooperate on training and technology transfer.",
    "Contact: Mr. Kim, Dr. Lee, Hanwha Aerospace Co., Ltd. and LIG Nex1 Inc.",
    "We will continue to do our best for the safety of citizens and the local economy.",
    "Photo caption: officials pose after the signing ceremony (left to right).",
)

#: Built-in SentencePiece training corpus: Korean and English press-release sentences.
DEFAULT_CORPUS: tuple[str, ...] = _KO_LINES + _EN_LINES

_LANG_NAMES = {"ko": "Korean", "en": "English"}
_CONTENT_DIM = 64
_NUM_FREQS = 16  # position code = cos/sin pairs (and their negations) at 16 frequencies
_POS_DIM = 4 * _NUM_FREQS
_MODEL_DIM = _CONTENT_DIM + _POS_DIM
_FFN_DIM = 4
_SEED = 20241125
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)


def _train_sentencepiece(corpus: Iterable[str]) -> bytes:
    """Train a small deterministic SentencePiece model (byte fallback covers any character)."""
    import sentencepiece as spm

    lines = [line for line in corpus if line.strip()]
    if not lines:
        raise ValueError("corpus must contain at least one non-empty line")
    out = io.BytesIO()
    spm.set_random_generator_seed(_SEED)
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(lines),
        model_writer=out,
        model_type="unigram",
        vocab_size=800,
        hard_vocab_limit=False,
        byte_fallback=True,
        normalization_rule_name="identity",
        remove_extra_whitespaces=False,
        character_coverage=1.0,
        num_threads=1,
        minloglevel=2,
    )
    return out.getvalue()


def _position_codes(max_positions: int) -> Any:
    """Constant-norm, zero-mean codes whose dot product peaks sharply at equal positions."""
    import numpy as np

    periods = np.geomspace(3.0, 4.0 * max_positions, _NUM_FREQS)
    angles = np.outer(np.arange(max_positions), 2 * np.pi / periods)
    cos, sin = np.cos(angles), np.sin(angles)
    codes = np.concatenate([cos, sin, -cos, -sin], axis=1)
    return codes / np.sqrt(2 * _NUM_FREQS)  # unit norm: <p_t, p_s> = mean of cos(w (t - s))


def _content_vectors(vocab_size: int) -> Any:
    import numpy as np

    rng = np.random.default_rng(_SEED)
    vectors = rng.standard_normal((vocab_size, _CONTENT_DIM))
    vectors -= vectors.mean(axis=1, keepdims=True)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors


def _import_transformer_spec() -> Any:
    """Import ctranslate2's spec module without dragging in torch (~1 s, ~300 MB).

    ``ctranslate2.specs.model_spec`` does ``try: import torch`` only to accept torch
    tensors; we pass numpy arrays, so torch is hidden during that first import.
    """
    if "torch" in sys.modules or "ctranslate2.specs.model_spec" in sys.modules:
        from ctranslate2.specs import transformer_spec

        return transformer_spec
    sys.modules["torch"] = None  # type: ignore[assignment]  # makes `import torch` fail
    try:
        from ctranslate2.specs import transformer_spec
    finally:
        del sys.modules["torch"]
    return transformer_spec


def _copy_model_spec(vocab: list[str], max_positions: int) -> Any:
    import numpy as np

    transformer_spec = _import_transformer_spec()
    f32 = np.float32
    d, c = _MODEL_DIM, _CONTENT_DIM
    content = np.zeros((len(vocab), d))
    content[:, :c] = _content_vectors(len(vocab))
    positions = np.zeros((max_positions, d))
    positions[:, c:] = _position_codes(max_positions)
    eye = np.eye(d)
    on_content = np.diag([1.0] * c + [0.0] * _POS_DIM)
    on_position = eye - on_content

    spec = transformer_spec.TransformerSpec.from_config(1, num_heads=1)
    spec.config.add_source_eos = True

    def layer_norm(ln: Any) -> None:
        ln.gamma = np.ones(d, dtype=f32)
        ln.beta = np.zeros(d, dtype=f32)

    def linear(lin: Any, weight: Any) -> None:
        lin.weight = np.ascontiguousarray(weight, dtype=f32)
        lin.bias = np.zeros(weight.shape[0], dtype=f32)

    def passthrough_ffn(ffn: Any) -> None:
        layer_norm(ffn.layer_norm)
        linear(ffn.linear_0, np.zeros((_FFN_DIM, d)))
        linear(ffn.linear_1, np.zeros((d, _FFN_DIM)))

    def passthrough_self_attention(att: Any) -> None:
        layer_norm(att.layer_norm)
        linear(att.linear[0], np.zeros((3 * d, d)))
        linear(att.linear[1], np.zeros((d, d)))

    # LayerNorm maps a zero-mean vector x to x * sqrt(d) / |x|. Content vectors have norm 1
    # and position codes norm 1, so encoder outputs are (content + position) * sqrt(d / 2)
    # and the decoder's normalised position code is p_t * sqrt(d).
    enc_scale = np.sqrt(d / 2)
    dec_scale = np.sqrt(d)
    # Attention logits are q.k / sqrt(d); the gap between the right and the nearest wrong
    # position is >= 2.7 / 16 in <p_t, p_s>, so a logit scale of 60 / 0.169 makes it ~60.
    sharpness = 360.0
    query_gain = sharpness * np.sqrt(d) / (dec_scale * enc_scale)

    encoder = spec.encoder
    encoder.scale_embeddings = False
    encoder.embeddings[0].weight = content.astype(f32)
    encoder.position_encodings.encodings = positions.astype(f32)
    layer_norm(encoder.layer_norm)
    passthrough_self_attention(encoder.layer[0].self_attention)
    passthrough_ffn(encoder.layer[0].ffn)

    decoder = spec.decoder
    decoder.scale_embeddings = False
    decoder.embeddings.weight = np.zeros((len(vocab), d), dtype=f32)
    decoder.position_encodings.encodings = positions.astype(f32)
    layer_norm(decoder.layer_norm)
    layer = decoder.layer[0]
    passthrough_self_attention(layer.self_attention)
    passthrough_ffn(layer.ffn)
    cross = layer.attention
    layer_norm(cross.layer_norm)
    linear(cross.linear[0], on_position * query_gain)
    linear(cross.linear[1], np.concatenate([on_position, on_content]))  # keys, values
    linear(cross.linear[2], on_content / enc_scale)  # back to unit content vectors
    # Decoder output = position code + content: norm sqrt(2) -> LayerNorm scales by sqrt(d/2).
    logit_gain = 40.0 / enc_scale
    linear(decoder.projection, content * logit_gain)

    spec.register_source_vocabulary(vocab)
    spec.register_target_vocabulary(vocab)
    spec.validate()
    return spec


def _write_zip(zip_path: Path, root: Path, top: str) -> None:
    """Zip ``root`` as ``top/…`` with fixed timestamps so equal inputs give equal bytes."""
    with zipfile.ZipFile(zip_path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        dirs = [top + "/", top + "/model/"]
        for name in dirs:
            info = zipfile.ZipInfo(name, date_time=_ZIP_DATE)
            info.external_attr = (0o40755 << 16) | 0x10
            zf.writestr(info, b"")
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            info = zipfile.ZipInfo(f"{top}/{path.relative_to(root).as_posix()}", _ZIP_DATE)
            info.external_attr = 0o100644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, path.read_bytes())


def build_copy_package(
    dest: Path,
    from_code: str = "ko",
    to_code: str = "en",
    *,
    corpus: Iterable[str] | None = None,
    max_positions: int = 1024,
    version: str = "1.0",
) -> Path:
    """Build a valid ``.argosmodel`` whose model copies its input exactly; return its path.

    Inputs may be up to ``max_positions - 1`` SentencePiece pieces long.
    """
    import sentencepiece as spm

    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    sp_bytes = _train_sentencepiece(DEFAULT_CORPUS if corpus is None else corpus)
    sp = spm.SentencePieceProcessor(model_proto=sp_bytes)
    vocab = [sp.id_to_piece(i) for i in range(sp.get_piece_size())]
    spec = _copy_model_spec(vocab, max_positions)

    top = f"translate-{from_code}_{to_code}-{version.replace('.', '_')}"
    metadata = {
        "package_version": version,
        "argos_version": "1.0",
        "from_code": from_code,
        "from_name": _LANG_NAMES.get(from_code, from_code),
        "to_code": to_code,
        "to_name": _LANG_NAMES.get(to_code, to_code),
        "type": "translate",
        "links": [],
    }
    out = dest / f"{top}.argosmodel"
    with tempfile.TemporaryDirectory(prefix="copy-model-") as tmp:
        root = Path(tmp)
        (root / "model").mkdir()
        spec.save(str(root / "model"))
        (root / "sentencepiece.model").write_bytes(sp_bytes)
        (root / "metadata.json").write_text(
            json.dumps(metadata, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        )
        (root / "README.md").write_text(
            "Copy model built by toolkit.testing.build_copy_package: output == input.\n",
            encoding="utf-8",
        )
        _write_zip(out, root, top)
    return out


def isolated_argos_env(tmp: Path) -> dict[str, str]:
    """Environment variables that confine argos/presspack model state to ``tmp``.

    Set them before ``argostranslate`` is imported (its settings are read at import).
    """
    tmp = Path(tmp)
    env = {
        "HOME": str(tmp / "home"),
        "XDG_DATA_HOME": str(tmp / "data"),
        "XDG_CACHE_HOME": str(tmp / "cache"),
        "XDG_CONFIG_HOME": str(tmp / "config"),
        "ARGOS_PACKAGES_DIR": str(tmp / "data" / "argos-translate" / "packages"),
    }
    for key in ("HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_CONFIG_HOME"):
        Path(env[key]).mkdir(parents=True, exist_ok=True)
    return env


class FakeTranslator:
    """A Translator for pipeline tests: maps sentences through a dict or a function.

    Unknown sentences (dict mode) come back unchanged. Extra hypotheses are the
    best one with `` [2]``, `` [3]``… appended, so tests can tell them apart.
    Leading/trailing whitespace is kept around the translation, like the real engine.
    """

    def __init__(
        self,
        mapping: Mapping[str, str] | Callable[[str], str] | None = None,
        *,
        model_id: str = "fake",
    ) -> None:
        self.model_id = model_id
        self._mapping = mapping
        self.calls: list[list[str]] = []

    def _translate_one(self, text: str) -> str:
        if self._mapping is None:
            return text
        if callable(self._mapping):
            return self._mapping(text)
        return self._mapping.get(text, text)

    def translate_batch(self, sentences: Sequence[str], *, num_hypotheses: int = 1) -> list[list[str]]:
        self.calls.append(list(sentences))
        result: list[list[str]] = []
        for sentence in sentences:
            core = sentence.strip()
            if not core:
                result.append([sentence] * num_hypotheses)
                continue
            lead = sentence[: len(sentence) - len(sentence.lstrip())]
            trail = sentence[len(sentence.rstrip()) :]
            best = self._translate_one(core)
            variants = [best] + [f"{best} [{i}]" for i in range(2, num_hypotheses + 1)]
            result.append([lead + v + trail for v in variants])
        return result
