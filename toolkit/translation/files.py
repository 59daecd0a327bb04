"""``presspack translate``: a release file or stdin, translated offline.

Plain text (stdin) keeps its exact layout: every line and the whitespace
between sentences come back where they were, only sentence text changes.
A Markdown/DOCX/text release becomes a Markdown release in the target
language, synced through its translation memory so edits survive.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from toolkit.core.atomic import write_bytes_atomic
from toolkit.core.document import Finding, Lang
from toolkit.core.errors import PresspackError, SourceError, problem

if TYPE_CHECKING:
    from toolkit.mt.enforce import TranslateFn
    from toolkit.terminology.matcher import Matcher

_LANG_SUFFIX_RE = re.compile(r"^(?P<stem>.*?)(?:\.(?:ko|en))?$")


@dataclass(frozen=True)
class TranslateRequest:
    source: Path
    to_lang: str | None = None
    from_lang: str | None = None
    glossary: Path | None = None
    output: Path | None = None
    dry_run: bool = False


@dataclass
class TranslateResult:
    text: str | None = None  # for stdout
    written: list[Path] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    diff: str = ""
    translated: int = 0
    kept: int = 0
    blocked: bool = False  # the translation file could not be synced safely (see the findings)


def _other(lang: str) -> Lang:
    return "en" if lang == "ko" else "ko"


def _load_matcher(glossary: Path | None, src: str) -> Matcher | None:
    if glossary is None:
        return None
    from toolkit.terminology.glossary import load_glossary
    from toolkit.terminology.matcher import Matcher

    return Matcher(load_glossary(glossary), src)


def _translator_fn(src: str, tgt: str) -> tuple[TranslateFn, str]:
    from toolkit.mt.engine import load_translator

    translator = load_translator(src, tgt)

    def run(batch: list[str], n: int) -> list[list[str]]:
        return translator.translate_batch(batch, num_hypotheses=n)

    return run, translator.model_id


def translate_plain(
    text: str, src: str, tgt: str, translate: TranslateFn, matcher: Matcher | None
) -> tuple[str, list[Finding]]:
    """Translate plain text sentence by sentence, keeping its layout exactly."""
    from toolkit.mt.enforce import machine_translate
    from toolkit.mt.segmentation import split_sentences
    from toolkit.terminology.abbrev import mentioned
    from toolkit.translation.checks import QAContext, run_checks

    pieces: list[tuple[str, str, str]] = []  # (leading ws, core, trailing ws) or core "" for layout
    core_lines: list[int] = []  # line of each core, for file:line in findings
    for number, line in enumerate(text.split("\n"), 1):
        for seg in split_sentences(line, src) if line.strip() else [line]:
            core = seg.strip()
            if not core:
                pieces.append((seg, "", ""))
                continue
            lead = seg[: len(seg) - len(seg.lstrip())]
            trail = seg[len(seg.rstrip()) :]
            pieces.append((lead, core, trail))
            core_lines.append(number)
        pieces.append(("\n", "", ""))
    pieces.pop()  # no newline after the last line
    cores = [c for _, c, _ in pieces if c]
    outs, findings = machine_translate(cores, translate, matcher, tgt, abbreviations=_abbreviation_style())
    it = iter(outs)
    result: list[str] = []
    for lead, core, trail in pieces:
        result.append(lead + (next(it) if core else "") + trail)
    from toolkit.translation.checks import empty_matcher

    qa_matcher = matcher if matcher is not None else empty_matcher(src)
    abbreviated = tuple(e for e in qa_matcher.glossary.entries if e.abbr)
    seen: set[str] = set()
    findings = [replace(f, file=f.file or "<stdin>") for f in findings]
    for core, out, number in zip(cores, outs, core_lines, strict=True):
        ctx = QAContext(src, tgt, qa_matcher, file="<stdin>", line=number, mentioned=frozenset(seen))
        findings.extend(run_checks(core, out, ctx))
        seen |= mentioned([out], abbreviated)
    return "".join(result), findings


def _abbreviation_style() -> str:
    """The house style's [terminology] abbreviations (default templates, as the build uses)."""
    from toolkit.core.config import default_templates
    from toolkit.render.style import load_style

    return load_style(default_templates()).terminology.abbreviations


def default_output(source: Path, to_lang: str) -> Path:
    name = source.name
    stem = name[: -len(source.suffix)] if source.suffix else name
    m = _LANG_SUFFIX_RE.match(stem)
    base = m.group("stem") if m else stem
    return source.with_name(f"{base}.{to_lang}.md")


def run_translate(request: TranslateRequest, *, stdin: TextIO) -> TranslateResult:
    from toolkit.sources import detect_lang

    if str(request.source) == "-":
        from toolkit.core.normalize import nfc
        from toolkit.sources.decode import suspicious_problems

        raw = _read_stdin(stdin)
        text = nfc(raw)
        if not text.strip():
            raise SourceError(
                problem("<stdin>", None, "no text on standard input", "pipe the text to translate")
            )
        src = request.from_lang or detect_lang(text)
        tgt = request.to_lang or _other(src)
        _check_pair(src, tgt)
        matcher = _load_matcher(request.glossary, src)
        translate, _ = _translator_fn(src, tgt)
        out, findings = translate_plain(text, src, tgt, translate, matcher)
        garbled = [
            Finding("suspicious-text", "warning", f"{p.what} — {p.fix}", file="<stdin>", line=p.line or 0)
            for p in suspicious_problems("<stdin>", raw)
        ]
        result = TranslateResult(findings=garbled + findings)
        if request.output is None or str(request.output) == "-":
            result.text = out
        else:
            write_bytes_atomic(request.output, out.encode("utf-8"))
            result.written.append(request.output)
        return result
    return _translate_release_file(request)


def _read_stdin(stdin: TextIO) -> str:
    """Standard input, bounded like a source file (``yes | presspack translate -`` must end)."""
    from toolkit.core.limits import SOURCE_BYTES

    cap = SOURCE_BYTES.value
    text = stdin.read(cap + 1)  # characters: at least as many bytes
    if len(text) > cap or len(text.encode("utf-8")) > cap:
        raise SourceError(
            problem("<stdin>", None, SOURCE_BYTES.message("standard input"), "translate the text in parts")
        )
    return text


def _check_pair(src: str, tgt: str) -> None:
    if src == tgt:
        raise PresspackError(
            [
                problem(
                    "",
                    None,
                    f"source and target are both '{src}'",
                    "pass --to with the other language",
                )
            ]
        )


def _translate_release_file(request: TranslateRequest) -> TranslateResult:
    from toolkit.translation.filesync import LazyEngine, apply_sync, load_snapshot, read_snapshot, sync_file

    again = "run 'presspack translate' again"
    source_snap = read_snapshot(request.source)
    if source_snap.data is None:
        raise SourceError(problem(request.source, None, "no such file", "check the path"))
    source = load_snapshot(source_snap, again=again).release
    src = request.from_lang or source.lang
    if request.from_lang and request.from_lang != source.lang:
        raise SourceError(
            problem(
                request.source,
                None,
                f"--from {request.from_lang}, but the release is '{source.lang}'",
                f"drop --from or set 'lang: {request.from_lang}'",
            )
        )
    tgt: Lang = "ko" if (request.to_lang or _other(src)) == "ko" else "en"
    _check_pair(src, tgt)
    to_stdout = request.output is not None and str(request.output) == "-"
    out_path = request.output if (request.output and not to_stdout) else default_output(request.source, tgt)
    target_snap = None
    if not to_stdout:
        target_snap = read_snapshot(out_path)
        if target_snap.data is not None:
            existing = load_snapshot(target_snap, again=again)
            if existing.translation_of not in (None, src):
                raise SourceError(
                    problem(
                        out_path,
                        None,
                        f"is a translation of '{existing.translation_of}', not '{src}'",
                        "choose another -o file",
                    )
                )
    matcher = _load_matcher(request.glossary, src)
    engine = LazyEngine(lambda: _translator_fn(src, tgt))

    plan = sync_file(
        source,
        source_snap,
        out_path,
        tgt,
        matcher=matcher,
        translate=engine.translate,
        model_id=engine.model_id,
        target_snapshot=target_snap,
        write=not to_stdout,
        abbreviations=_abbreviation_style(),
    )
    result = TranslateResult(
        findings=[*plan.engine_findings, *plan.findings],
        translated=plan.translated,
        kept=plan.kept,
        blocked=plan.blocked,
    )
    if to_stdout:
        from toolkit.sources.markdown import dump_markdown

        result.text = dump_markdown(plan.release, translation_of=src)
        return result
    if request.dry_run:
        result.diff = plan.diff
        return result
    result.written.extend(apply_sync(plan, again=again))
    return result
