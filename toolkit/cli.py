"""The ``presspack`` command: parse arguments, call the library, report.

Heavy modules (reportlab, ctranslate2, python-docx) are imported inside the
commands so ``presspack --help`` starts instantly.
"""

from __future__ import annotations

import errno
import json
import os
import signal
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

from toolkit import __version__
from toolkit.core.errors import PresspackError, Problem
from toolkit.core.interrupts import INTERRUPTED

if TYPE_CHECKING:
    from toolkit.core.document import Finding

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


# --------------------------------------------------------------------------- reporting


def _echo_problem(p: Problem) -> None:
    label = "Warning" if p.severity == "warning" else "Error"
    click.echo(f"{label}: {p.format()}", err=True)


def fail(problems: Sequence[Problem]) -> NoReturn:
    for p in problems:
        _echo_problem(p)
    raise SystemExit(1)


_FULL = (errno.ENOSPC, errno.EDQUOT, errno.EFBIG)
_DENIED = (errno.EACCES, errno.EPERM, errno.EROFS)


def _os_error_line(exc: OSError) -> str:
    """``Error: <file>: <what> — <fix>`` for disk full, permissions and other OS failures."""
    from toolkit.core.atomic import WriteError

    where = f"{exc.filename}: " if exc.filename else ""
    reason = exc.strerror or str(exc) or type(exc).__name__
    what = f"cannot write ({reason})" if isinstance(exc, WriteError) else reason
    if exc.errno in _FULL:
        fix = "free some disk space and run again; files written so far are complete"
    elif exc.errno in _DENIED:
        fix = "check the permissions of the file and its folder"
    else:
        fix = "check free disk space and permissions; outputs written so far are complete"
    return f"Error: {where}{what} — {fix}"


def interrupted(code: int = 130) -> NoReturn:
    """Ctrl-C (or SIGTERM): one line, the conventional exit code, no traceback."""
    with suppress(Exception):
        click.echo(INTERRUPTED, err=True)
    raise SystemExit(code)


@contextmanager
def reported() -> Iterator[None]:
    """Turn library errors into ``Error: file:line: what — fix`` and exit 1; never a traceback."""
    try:
        yield
    except PresspackError as exc:
        fail(exc.problems)
    except OSError as exc:  # disk full, permissions…: say what and where
        click.echo(_os_error_line(exc), err=True)
        raise SystemExit(1) from None
    except KeyboardInterrupt as exc:
        interrupted(143 if isinstance(exc, _Terminated) else 130)
    except MemoryError as exc:
        exc.__traceback__ = None  # drop the frames holding whatever filled memory, then report
        del exc
        click.echo(
            "Error: out of memory — close other programs or build fewer releases at once (--jobs 1)",
            err=True,
        )
        raise SystemExit(1) from None
    except Exception as exc:  # a bug: still one clear line (PRESSPACK_DEBUG=1 shows the traceback)
        if os.environ.get("PRESSPACK_DEBUG"):
            raise
        detail = " ".join(str(exc).split())[:200]
        click.echo(
            f"Error: internal error ({type(exc).__name__}: {detail}) — this is a bug in presspack: please "
            "report it with the file that caused it (PRESSPACK_DEBUG=1 shows the details)",
            err=True,
        )
        raise SystemExit(1) from None


def _finding_line(f: Finding) -> str:
    where = f.file or ""
    if f.line:
        where += f":{f.line}"
    prefix = f"{where}: " if where else ""
    return f"{f.severity}: {prefix}[{f.check}] {f.message}"


def report_findings(
    findings: Sequence[Finding], *, strict: bool, quiet: bool = False, warnings: int = 0
) -> None:
    """Print QA findings; with --strict, findings and source warnings fail the run (exit 1)."""
    if not quiet:
        for f in findings:
            click.echo(_finding_line(f), err=True)
    serious = [f for f in findings if f.severity in ("error", "warning")]
    if strict and (serious or warnings):
        parts = [f"{len(serious)} finding(s)"] + ([f"{warnings} warning(s)"] if warnings else [])
        click.echo(f"Error: aborted with {' and '.join(parts)} in strict mode", err=True)
        raise SystemExit(1)


def _parse_formats(value: str | None) -> tuple[str, ...] | None:
    from toolkit.commands.build import parse_formats

    try:
        return parse_formats(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--formats") from None


def _parse_langs(value: str | None) -> tuple[str, ...] | None:
    from toolkit.commands.build import parse_langs

    try:
        return parse_langs(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--lang") from None


glossary_option = click.option(
    "--glossary",
    "glossary",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help=(
        "Approved glossary CSV (default: $PRESSPACK_GLOSSARY, ./glossary.csv, "
        "or the nearest glossary.csv above the release)."
    ),
)
strict_option = click.option("--strict", is_flag=True, help="Fail (exit 1) on any QA finding.")
json_option = click.option("--json", "as_json", is_flag=True, help="Print a JSON report to stdout.")


class _Progress:
    """A progress bar that learns its length from the first update."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.bar: Any = None

    def update(self, done: int, total: int, name: str) -> None:
        if self.bar is None:
            self.bar = click.progressbar(length=total, label=self.label, file=sys.stderr)
            self.bar.__enter__()
        self.bar.update(done - self.bar.pos, name)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)


# --------------------------------------------------------------------------- root


class _Main(click.Group):
    """The root group: Ctrl-C anywhere (parsing, imports, any command) exits 130, not
    Click's "Aborted!" with 1; SIGTERM (a cancelled CI job) unwinds the same way."""

    def make_context(
        self, info_name: str | None, args: list[str], parent: click.Context | None = None, **extra: Any
    ) -> click.Context:
        try:
            return super().make_context(info_name, args, parent, **extra)
        except KeyboardInterrupt:
            interrupted()

    def invoke(self, ctx: click.Context) -> Any:
        previous = None
        with suppress(ValueError, OSError):  # not the main thread: leave SIGTERM alone
            previous = signal.signal(signal.SIGTERM, _terminate)
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt as exc:
            interrupted(143 if isinstance(exc, _Terminated) else 130)
        finally:
            if previous is not None:
                with suppress(ValueError, OSError):
                    signal.signal(signal.SIGTERM, previous)


class _Terminated(KeyboardInterrupt):
    """SIGTERM, unwound like Ctrl-C so atomic writes clean up their temporary files."""


def _terminate(_signum: int, _frame: object) -> None:
    raise _Terminated


@click.group(cls=_Main, context_settings=CONTEXT_SETTINGS)
@click.version_option(__version__, prog_name="presspack")
def main() -> None:
    """presspack — offline Korean/English press releases to DOCX, PDF and HWPX.

    \b
    Build the bundled samples:
      presspack build releases/ --out out/
    Translate a release offline, enforcing the glossary:
      presspack translate releases/x/release.ko.md --to en
    """


# --------------------------------------------------------------------------- build


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--out",
    "-o",
    "out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("out"),
    show_default=True,
    help="Folder for the release packs.",
)
@click.option(
    "--lang",
    "langs",
    metavar="ko,en",
    help="Languages to build (default: every language a release has).",
)
@glossary_option
@click.option(
    "--templates",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="House-style folder (default: ./templates).",
)
@click.option(
    "--style",
    default="default",
    show_default=True,
    help="House style name inside the templates folder.",
)
@click.option(
    "--formats",
    "formats",
    metavar="docx,pdf,hwpx",
    help="Formats each pack holds (default: the house style's, normally docx,pdf,hwpx).",
)
@click.option("--check", is_flag=True, help="Write nothing; exit 1 and list what is stale (for CI).")
@click.option(
    "--dry-run", is_flag=True, help="Write nothing; show the diff of every translation file change."
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(1, 64),
    default=None,
    help="Processes to build with (default: the usable cores, at most 4; 1: one process).",
)
@strict_option
@json_option
def build(
    paths: tuple[Path, ...],
    out: Path,
    langs: str | None,
    glossary: Path | None,
    templates: Path | None,
    style: str,
    formats: str | None,
    check: bool,
    dry_run: bool,
    jobs: int | None,
    strict: bool,
    as_json: bool,
) -> None:
    """Build release packs (DOCX + PDF + HWPX + manifest.json) from release sources.

    PATHS are release folders (holding release.ko.md and/or release.en.md, or
    release.ko.hwpx with an optional release.yaml), folders of release folders,
    or single .md/.txt/.docx/.hwpx files. Unchanged releases are skipped; a
    missing language asked for with --lang is translated offline first.

    \b
    Examples:
      presspack build releases/ --out out/ --lang ko,en --jobs 2
      presspack build 보도자료.hwpx --formats hwpx,pdf
    """
    from toolkit.commands import build as commands

    lang_tuple = _parse_langs(langs)
    format_tuple = _parse_formats(formats)
    if not (check or dry_run) and commands.fonts_need_building():
        click.echo("Preparing fonts (first run only, about 10 s)…", err=True)
    bar = _Progress("Building") if sys.stderr.isatty() and not as_json else None
    with reported():
        try:
            result = commands.build(
                list(paths),
                out=out,
                langs=lang_tuple,
                glossary=glossary,
                templates=templates,
                style=style,
                check=check,
                dry_run=dry_run,
                jobs=jobs,
                formats=format_tuple,
                progress=bar.update if bar else None,
            )
        finally:
            if bar:
                bar.close()
    for w in result.warnings:
        _echo_problem(w)
    if dry_run:
        for diff in result.diffs:
            click.echo(diff, nl=False)
    if as_json:
        click.echo(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
    elif not (check or dry_run):
        for name in result.built:
            click.echo(f"built {name}", err=True)
        if result.up_to_date and not result.built:
            click.echo(f"{len(result.up_to_date)} release(s) up to date", err=True)
    report_findings(
        result.findings, strict=strict and not result.errors, quiet=as_json, warnings=len(result.warnings)
    )
    if result.errors or result.blocked:
        for p in result.errors:
            _echo_problem(p)
        if result.blocked and not (check or dry_run):
            click.echo(
                f"Error: {len(result.blocked)} translation file(s) left untouched — see the tm-structure "
                "error(s) above",
                err=True,
            )
        if result.errors or not (check or dry_run):
            raise SystemExit(1)
    if check or dry_run:
        for line in result.stale if not as_json else ():  # the JSON report lists them under "stale"
            click.echo(f"stale: {line}", err=not check)
        if result.stale:
            if check:
                click.echo(
                    f"Error: {len(result.stale)} release(s) out of date"
                    " — run 'presspack build' and commit the result",
                    err=True,
                )
                raise SystemExit(1)
        elif not as_json:
            click.echo("everything is up to date", err=True)


# --------------------------------------------------------------------------- translate


@main.command()
@click.argument("source", type=click.Path(path_type=Path, allow_dash=True))
@click.option(
    "--to",
    "to_lang",
    type=click.Choice(["ko", "en"]),
    default=None,
    help="Target language (default: the other one).",
)
@click.option(
    "--from",
    "from_lang",
    type=click.Choice(["ko", "en"]),
    default=None,
    help="Source language (default: detected).",
)
@glossary_option
@click.option(
    "-o",
    "--output",
    "output",
    type=click.Path(path_type=Path, allow_dash=True),
    default=None,
    help="Where to write ('-' = stdout). Default: release.<to>.md beside the source; stdout for stdin.",
)
@click.option(
    "--dry-run",
    is_flag=True,
    help="Show the change to the translation file as a diff; write nothing.",
)
@strict_option
@json_option
def translate(
    source: Path,
    to_lang: str | None,
    from_lang: str | None,
    glossary: Path | None,
    output: Path | None,
    dry_run: bool,
    strict: bool,
    as_json: bool,
) -> None:
    """Translate a release (or stdin) offline with an installed argos model.

    Approved glossary terms come out exactly. An existing translation file is
    updated in place: only changed sentences are re-translated and human
    edits are kept (its memory lives in release.<to>.tm.json).

    \b
    Examples:
      presspack translate releases/x/release.ko.md --to en
      echo '창원특례시는 포럼을 열었다.' | presspack translate - --to en
    """
    from toolkit.commands.translate import translate as run_translate

    with reported():
        result = run_translate(
            source,
            stdin=sys.stdin,
            to_lang=to_lang,
            from_lang=from_lang,
            glossary=glossary,
            output=output,
            dry_run=dry_run,
        )
    if result.diff:
        click.echo(result.diff, nl=False)
    if result.text is not None:
        if as_json:
            pass
        else:
            click.echo(result.text, nl=False)
    if as_json:
        data: dict[str, Any] = {
            "outputs": [str(p) for p in result.written],
            "findings": [f.to_json() for f in result.findings],
            "translated": result.translated,
            "kept": result.kept,
        }
        if result.text is not None:
            data["text"] = result.text
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
    for p in result.written:
        click.echo(f"wrote {p}", err=True)
    report_findings(result.findings, strict=strict, quiet=as_json)
    if result.blocked:
        click.echo(
            "Error: the translation file was left untouched — see the tm-structure error above", err=True
        )
        raise SystemExit(1)


# --------------------------------------------------------------------------- review


@main.group()
def review() -> None:
    """Resolve tm-review findings: the source changed under a person's translation.

    \b
    Take the machine suggestion the finding shows (or, for text whose source
    was deleted, delete it):
      presspack review accept releases/x/release.en.md:17
    Keep the person's text as it is, reviewed against the new source:
      presspack review keep releases/x/release.en.md:17
    Editing the text by hand resolves the review too.
    """


def _review(spec: str, glossary: Path | None, as_json: bool, *, accept: bool) -> None:
    from toolkit.commands import review as commands

    try:
        commands.parse_spec(spec)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="FILE[:LINE]") from None
    with reported():
        result = commands.resolve(spec, accept=accept, glossary=glossary)
    if as_json:
        click.echo(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
    for p in result.written:
        click.echo(f"wrote {p}", err=True)
    verb = "accepted" if accept else "kept"
    left = f"; {len(result.pending)} still to review" if result.pending else ""
    click.echo(f"{verb} {result.resolved} review(s){left}", err=True)


@review.command("accept")
@click.argument("spec", metavar="FILE[:LINE]")
@glossary_option
@json_option
def review_accept(spec: str, glossary: Path | None, as_json: bool) -> None:
    """Replace the reviewed text at LINE with the machine suggestion (all of FILE without LINE).

    FILE:LINE is what the tm-review finding prints; several lines: FILE:12,30.

    \b
    Example:
      presspack review accept releases/2026-11-05-k-defense-forum/release.en.md:17
    """
    _review(spec, glossary, as_json, accept=True)


@review.command("keep")
@click.argument("spec", metavar="FILE[:LINE]")
@glossary_option
@json_option
def review_keep(spec: str, glossary: Path | None, as_json: bool) -> None:
    """Keep the person's text at LINE as reviewed against the new source (all of FILE without LINE).

    \b
    Example:
      presspack review keep releases/2026-11-05-k-defense-forum/release.en.md:17
    """
    _review(spec, glossary, as_json, accept=False)


# --------------------------------------------------------------------------- glossary


@main.group()
def glossary() -> None:
    """Check, search, export and import the approved glossary."""


@glossary.command("lint")
@click.argument("csv", required=False, type=click.Path(dir_okay=False, path_type=Path))
def glossary_lint(csv: Path | None) -> None:
    """Report every problem of a glossary CSV at once (exit 1 on any error).

    \b
    Example:
      presspack glossary lint glossary.csv
    """
    from toolkit.commands import glossary as commands

    with reported():
        path, problems = commands.lint(csv)
    for p in problems:
        _echo_problem(p)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        click.echo(f"{len(errors)} error(s), {len(problems) - len(errors)} warning(s) in {path}", err=True)
        raise SystemExit(1)
    click.echo(f"{path}: ok ({len(problems)} warning(s))", err=True)


@glossary.command("find", context_settings={"ignore_unknown_options": True})
@click.argument("text", nargs=-1, required=True, type=click.UNPROCESSED)
@glossary_option
@click.option(
    "--lang",
    type=click.Choice(["ko", "en"]),
    default=None,
    help="Language of TEXT (default: detected).",
)
@json_option
def glossary_find(text: tuple[str, ...], glossary: Path | None, lang: str | None, as_json: bool) -> None:
    """Show the approved terms found in TEXT, a FILE, or standard input (-).

    TEXT may start with '-' (a list item). Each match shows where it is, what
    it will be translated to and its glossary row; near-misses show words that
    contain a term but are not it (창원시장 is not 창원시).

    \b
    Examples:
      presspack glossary find '창원시는 방위사업청과 협약을 맺었다'
      presspack glossary find releases/x/release.ko.md
      pbpaste | presspack glossary find -
    """
    from toolkit.commands import glossary as commands

    with reported():
        body, source = commands.read_input(" ".join(text), sys.stdin)
        found = commands.find(body, glossary=glossary, lang=lang, source=source)
    if as_json:
        click.echo(json.dumps(found.to_json(), ensure_ascii=False, indent=2))
        return
    path, matches, near = found.glossary, found.matches, found.near_misses
    if not matches and not near:
        click.echo("no glossary terms found")

    def where(offset: int) -> str:
        if not source:
            return ""
        line, column = found.position(offset)
        return f"{source}:{line}:{column}: "

    from toolkit.terminology.glossary import visible

    for m in matches:
        written = visible(body[m.start : m.end])
        shown = m.source_term if written == m.source_term else f"{written} (= {m.source_term})"
        extra = f" (+{m.particle})" if m.particle else ""
        click.echo(
            f"{where(m.start)}{shown}{extra} → {m.target_term}  [{m.entry.category}, {path}:{m.entry.line}]"
        )
    for n in near:
        click.echo(
            f"{where(n.start)}near-miss: '{n.word}' contains '{n.source_term}' but is not it: {n.reason}"
        )


@glossary.command("export")
@click.option("--format", "fmt", type=click.Choice(["tbx"]), default="tbx", show_default=True)
@glossary_option
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path, allow_dash=True),
    default=None,
    help="Output file (default: stdout).",
)
def glossary_export(fmt: str, glossary: Path | None, output: Path | None) -> None:
    """Export the glossary for CAT tools (TBX-Basic: OmegaT, Trados, memoQ).

    \b
    Example:
      presspack glossary export --format tbx -o glossary.tbx
    """
    from toolkit.commands import glossary as commands
    from toolkit.core.atomic import write_bytes_atomic

    with reported():
        data = commands.export(glossary=glossary, fmt=fmt)
        if output is not None and str(output) != "-":
            write_bytes_atomic(output, data)
    if output is None or str(output) == "-":
        click.echo(data.decode("utf-8"), nl=False)
    else:
        click.echo(f"wrote {output}", err=True)


@glossary.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@glossary_option
@click.option("--dry-run", is_flag=True, help="Report what would change; write nothing.")
def glossary_import(file: Path, glossary: Path | None, dry_run: bool) -> None:
    """Merge terms from a TBX or CSV file into the glossary.

    New terms are appended; a term whose English differs from the approved one
    is reported as a conflict and the approved row is kept (exit 1).

    \b
    Example:
      presspack glossary import from-trados.tbx
    """
    from toolkit.commands import glossary as commands

    with reported():
        imported = commands.import_terms(file, glossary=glossary, dry_run=dry_run)
    path, report = imported.glossary, imported.report
    for warning in report.warnings:
        _echo_problem(warning)
    for e in report.added:
        click.echo(f"added: {e.ko} → {e.en} ({file}:{e.line})")
    for c in report.conflicts:
        click.echo(
            f"Error: {file}:{c.incoming_line}: '{c.ko}' is '{c.incoming_en}' here but '{c.existing_en}' in "
            f"{path}:{c.existing_line} — kept the approved row; edit {path} by hand if the new one is right",
            err=True,
        )
    verb = "would add" if dry_run else "added"
    click.echo(
        f"{verb} {len(report.added)}, unchanged {report.unchanged}, conflicts {len(report.conflicts)}",
        err=True,
    )
    if report.conflicts:
        raise SystemExit(1)


# --------------------------------------------------------------------------- export / import


@main.group()
def export() -> None:
    """Send a translation to an agency or CAT tool: XLIFF, a bilingual review DOCX, TMX.

    \b
    Export for Trados, memoQ, Phrase, OmegaT (XLIFF 1.2; --xliff-version 2.1 too):
      presspack export xliff releases/x --to en -o x.en.xlf
    Export for a reviewer who works in Word:
      presspack export review releases/x --to en -o x.en.review.docx
    Bring the edits back (recognised by content; --dry-run shows the diff):
      presspack import x.en.xlf
    """


to_option = click.option(
    "--to",
    "to_lang",
    type=click.Choice(["ko", "en"]),
    default=None,
    help="Language of the translation (default: the release's only translation).",
)


def _output_option(example: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    return click.option(
        "-o",
        "--output",
        "output",
        type=click.Path(dir_okay=False, path_type=Path),
        required=True,
        help=f"File to write (e.g. {example}).",
    )


def _exported(result: Any, as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
    states = ", ".join(f"{n} {state}" for state, n in result.states.items())
    click.echo(f"wrote {result.output}: {result.segments} segment(s) ({states})", err=True)


@export.command("xliff")
@click.argument("release", type=click.Path(path_type=Path))
@to_option
@_output_option("x.en.xlf")
@click.option(
    "--xliff-version",
    "version",
    type=click.Choice(["1.2", "2.1"]),
    default="1.2",
    show_default=True,
    help="XLIFF version (1.2 is what every CAT tool imports).",
)
@glossary_option
@json_option
def export_xliff(
    release: Path, to_lang: str | None, output: Path, version: str, glossary: Path | None, as_json: bool
) -> None:
    """Export a translation as XLIFF: one unit per segment of its memory.

    RELEASE is a release folder, its source or its translation file. Machine
    output is marked leveraged-mt, a person's text translated, approved text
    final; glossary terms and QA findings come along as notes. The translation
    must be up to date (run 'presspack build' first).

    \b
    Example:
      presspack export xliff releases/2026-11-05-k-defense-forum --to en -o forum.en.xlf
    """
    from toolkit.commands import interchange as commands

    with reported():
        result = commands.export_xliff(
            release,
            output=output,
            to=to_lang,
            version="2.1" if version == "2.1" else "1.2",
            glossary=glossary,
        )
    _exported(result, as_json)


@export.command("review")
@click.argument("release", type=click.Path(path_type=Path))
@to_option
@_output_option("x.en.review.docx")
@glossary_option
@json_option
def export_review(
    release: Path, to_lang: str | None, output: Path, glossary: Path | None, as_json: bool
) -> None:
    """Export a translation as a bilingual review DOCX for Word.

    A landscape table of Segment ID, Status, Source, Target and Comments
    (header row on every page, glossary terms highlighted). The reviewer edits
    the Target column (Track Changes is fine) and may set Status to final.

    \b
    Example:
      presspack export review releases/2026-11-05-k-defense-forum --to en -o forum.review.docx
    """
    from toolkit.commands import interchange as commands

    with reported():
        result = commands.export_review(release, output=output, to=to_lang, glossary=glossary)
    _exported(result, as_json)


@export.command("tmx")
@click.argument("releases", nargs=-1, required=True, type=click.Path(path_type=Path))
@to_option
@_output_option("releases.tmx")
@glossary_option
@json_option
def export_tmx(
    releases: tuple[Path, ...], to_lang: str | None, output: Path, glossary: Path | None, as_json: bool
) -> None:
    """Export the translation memories of releases as TMX 1.4b (for a CAT tool's TM).

    RELEASES are release folders or folders of releases; every translation in
    them is exported (only --to's language with --to). Each unit says whether
    its target is machine output or a person's (x-presspack-origin).

    \b
    Example:
      presspack export tmx releases/ -o releases.tmx
    """
    from toolkit.commands import interchange as commands

    with reported():
        result = commands.export_tmx(list(releases), output=output, to=to_lang, glossary=glossary)
    _exported(result, as_json)


@main.command("import")
@click.argument("file", type=click.Path(path_type=Path))
@click.argument("release", required=False, type=click.Path(path_type=Path))
@glossary_option
@click.option(
    "--dry-run", is_flag=True, help="Show the change to the translation file as a diff; write nothing."
)
@strict_option
@json_option
def import_command(
    file: Path, release: Path | None, glossary: Path | None, dry_run: bool, strict: bool, as_json: bool
) -> None:
    """Import an edited XLIFF 1.2/2.x, review DOCX or TMX file as post-edits.

    The format is recognised by content. The targets go into release.<lang>.md
    through the translation memory exactly like a person's edits (kept by every
    later build); a unit whose source changed since the export, or whose
    translation was edited in the file meanwhile, is refused with a finding
    (exit 1) and everything else is applied. RELEASE defaults to the release
    the file was exported from.

    \b
    Examples:
      presspack import forum.en.xlf --dry-run
      presspack import forum.review.docx releases/2026-11-05-k-defense-forum
    """
    from toolkit.commands import interchange as commands

    with reported():
        result = commands.import_exchange(file, release, glossary=glossary, dry_run=dry_run)
    if dry_run and result.diff:
        click.echo(result.diff, nl=False)
    if as_json:
        click.echo(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
    for p in result.written:
        click.echo(f"wrote {p}", err=True)
    report_findings(result.findings, strict=strict, quiet=as_json)
    verb = "would import" if dry_run else "imported"
    parts = [f"{result.edited} edit(s)"]
    if result.emptied:
        parts.append(f"{result.emptied} emptied segment(s)")
    if result.approved:
        parts.append(f"{result.approved} approval(s)")
    if result.confirmed:
        parts.append(f"{result.confirmed} confirmation(s)")
    into = ", ".join(p.name for p in result.translations)
    untranslated = ""
    if result.untranslated:
        left = "it was" if result.untranslated == 1 else "they were"
        untranslated = (
            f", {result.untranslated} without a target in the file (not translated in the CAT tool; "
            f"left as {left})"
        )
    click.echo(
        f"{verb} {', '.join(parts)} into {into}; {result.unchanged} unit(s) unchanged{untranslated}", err=True
    )
    if result.refused:
        click.echo(
            f"Error: {result.refused} unit(s) refused — see the import-* finding(s) above; the rest was "
            + ("checked" if dry_run else "imported"),
            err=True,
        )
        raise SystemExit(1)


# --------------------------------------------------------------------------- models


@main.group()
def models() -> None:
    """Install, list and remove offline translation models (argos packages)."""


@models.command("list")
@json_option
def models_list(as_json: bool) -> None:
    """List installed translation models.

    Package folders that cannot be used (broken metadata, missing model
    files, other package types) are reported as warnings and ignored; they
    never hide the working models.

    \b
    Example:
      presspack models list
    """
    from toolkit.commands import models as commands

    with reported():
        pkgs = commands.installed()
        broken = commands.broken()
    for problem in broken:
        _echo_problem(problem)
    if as_json:
        click.echo(json.dumps(commands.to_json(pkgs), indent=2))
        return
    if not pkgs:
        working = "working " if broken else ""
        click.echo(f"no {working}models installed in {commands.packages_dir()}")
    for p in pkgs:
        click.echo(f"{p.from_code}→{p.to_code}  {p.name} {p.package_version}  {p.path}")


@models.command("install")
@click.argument("args", nargs=-1, required=True)
@click.option(
    "--timeout",
    type=float,
    default=30.0,
    show_default=True,
    help="Give up on the package index after this.",
)
def models_install(args: tuple[str, ...], timeout: float) -> None:
    """Install a model from a file (air-gapped) or from the argos index (online).

    The package is validated before anything changes and swapped in as one
    step: on any failure the installed models stay exactly as they were.

    \b
    Examples:
      presspack models install translate-ko_en-1_1.argosmodel
      presspack models install ko en
    """
    from toolkit.commands import models as commands

    if not (len(args) == 1 or (len(args) == 2 and all(a in ("ko", "en") for a in args))):
        raise click.UsageError("give FILE.argosmodel, or two language codes such as 'ko en'")
    with reported():
        if len(args) == 1:
            pkg = commands.install(args)
        else:
            with click.progressbar(
                length=0, label=f"Downloading {args[0]}→{args[1]}", file=sys.stderr
            ) as bar:

                def progress(done: int, total: int | None) -> None:
                    if total and bar.length != total:
                        bar.length = total
                    bar.update(done - bar.pos)

                pkg = commands.install(args, timeout=timeout, progress=progress)
    click.echo(f"installed {pkg.from_code}→{pkg.to_code} {pkg.name} {pkg.package_version}")


@models.command("remove")
@click.argument("from_code", type=click.Choice(["ko", "en"]))
@click.argument("to_code", type=click.Choice(["ko", "en"]))
def models_remove(from_code: str, to_code: str) -> None:
    """Remove an installed model.

    \b
    Example:
      presspack models remove ko en
    """
    from toolkit.commands import models as commands

    with reported():
        pkg = commands.remove(from_code, to_code)
    click.echo(f"removed {pkg.from_code}→{pkg.to_code} {pkg.name} {pkg.package_version}")
