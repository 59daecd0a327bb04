"""The hostile-input corpus, generated at test time (nothing large is committed).

Each :class:`Case` writes its input into a fresh folder and returns the
``presspack`` command line to run; the test (test_hostile.py) runs it through
the CLI and compares the exit code and the exact ``Error:`` line. Cases that
could eat memory (bombs, huge files) run in a child process under an address
space limit, so a regression fails the test instead of the machine.

Placeholders in expected lines: ``{dir}`` (the case's folder), ``{pkgs}``
(the argos packages dir), ``{index}`` (the loopback index URL), ``{fix}``
(the generic "raise the cap" advice, with ``{env}`` for its variable).

``python tests/hostile/hostile_cases.py OUT`` writes every case's input
under OUT for manual runs.
"""

from __future__ import annotations

import json
import re
import struct
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
GLOSSARY_HEADER = "ko,en,category,note\n"
OFFLINE = "install offline with 'presspack models install FILE.argosmodel'"
CAP_FIX = "check the file is the one you meant; if it is genuine, raise the cap with PRESSPACK_LIMIT_{env}=N"
MODEL_FIX = "use a translate-*.argosmodel package built for argos-translate"
DOWNLOAD_FIX = "download the .argosmodel file again (it is damaged or not a model package)"
FLAT_FIX = "front matter holds one 'key: value' per line (a list at most); remove the nesting"


@dataclass
class Ctx:
    """What a case may use: its folder, the loopback index, the working model."""

    folder: Path
    index: str
    routes: dict[str, tuple[int, dict[str, str], bytes]]
    packages: Path
    copy_model: Path

    def fmt(self, template: str) -> str:
        return template.format(dir=self.folder, pkgs=self.packages, index=self.index)


@dataclass(frozen=True)
class Case:
    name: str
    setup: Callable[[Ctx], list[str]]
    code: int
    error: str = ""  # the exact last "Error: …" line (placeholders allowed); "" when none expected
    check: Callable[[Ctx, str, str], None] | None = None  # (ctx, stdout, stderr) further checks
    bomb: bool = False  # run in a child process under RLIMIT_AS
    stdin: Callable[[Ctx], bytes] | None = None
    keeps_models: bool = False  # the packages folder must be byte-for-byte unchanged
    env: dict[str, str] = field(default_factory=dict)


CASES: list[Case] = []


def case(name: str, code: int, error: str = "", **kw: object) -> Callable[[Callable[[Ctx], list[str]]], None]:
    def register(setup: Callable[[Ctx], list[str]]) -> None:
        CASES.append(Case(name, setup, code, error, **kw))  # type: ignore[arg-type]

    return register


# --------------------------------------------------------------------------- helpers


def release(ctx: Ctx, front: str, body: str = "본문이다.", lang: str = "ko", name: str = "r") -> Path:
    folder = ctx.folder / name
    folder.mkdir(exist_ok=True)
    path = folder / f"release.{lang}.md"
    path.write_text(f"---\nlang: {lang}\n{front}---\n\n{body}\n", "utf-8")
    return path


def build(ctx: Ctx, path: Path) -> list[str]:
    return ["build", str(path), "--out", str(ctx.folder / "out")]


def docx_members() -> dict[str, bytes]:
    import io

    import docx

    buffer = io.BytesIO()
    docx.Document().save(buffer)
    with zipfile.ZipFile(buffer) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def write_zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


def docx_file(ctx: Ctx, body: str, *, doctype: str = "", name: str = "doc.docx") -> Path:
    members = docx_members()
    members["word/document.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8"?>{doctype}<w:document xmlns:w="{W}"><w:body>'
        f'<w:p><w:pPr><w:pStyle w:val="Title"/></w:pPr><w:r><w:t>창원특례시 방산 포럼</w:t></w:r></w:p>'
        f"{body}</w:body></w:document>"
    ).encode()
    return write_zip(ctx.folder / name, members)


def para(text: str) -> str:
    return f'<w:p><w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>'


def set_declared_size(path: Path, member: str, size: int) -> None:
    """Make the zip directory claim ``member`` unpacks to ``size`` bytes."""
    data = bytearray(path.read_bytes())
    pos = data.index(b"PK\x01\x02")
    while True:
        pos = data.index(b"PK\x01\x02", pos)
        name_len = struct.unpack_from("<H", data, pos + 28)[0]
        if bytes(data[pos + 46 : pos + 46 + name_len]) == member.encode():
            struct.pack_into("<I", data, pos + 24, size)
            break
        pos += 4
    path.write_bytes(bytes(data))


def out_text(ctx: Ctx, name: str, lang: str) -> str:
    """The visible text of a pack's DOCX, one paragraph a line, then each table row
    as its cells joined by `` | ``."""
    import docx

    from toolkit.core.inline import plain

    document = docx.Document(str(ctx.folder / "out" / name / f"{name}.{lang}.docx"))
    lines = [plain(p.text) for p in document.paragraphs]
    lines += [" | ".join(c.text for c in row.cells) for t in document.tables for row in t.rows]
    return "\n".join(lines)


def mutated_package(ctx: Ctx, **meta: object) -> Path:
    with zipfile.ZipFile(ctx.copy_model) as zf:
        members = {i.filename: zf.read(i) for i in zf.infolist()}
    top = next(iter(members)).split("/", 1)[0]
    data = json.loads(members[f"{top}/metadata.json"])
    data.update(meta)
    members[f"{top}/metadata.json"] = json.dumps(data).encode()
    return write_zip(ctx.folder / "bad.argosmodel", members)


def index_of(ctx: Ctx, links: list[str], version: str = "1.1") -> None:
    entry = {"from_code": "ko", "to_code": "en", "package_version": version, "links": links}
    ctx.routes["/index.json"] = (200, {}, json.dumps([entry]).encode())


INSTALL = ["models", "install", "ko", "en", "--timeout", "10"]


# --------------------------------------------------------------------------- release sources


@case(
    "front-matter-nested-3000-deep-flow",
    1,
    "Error: {dir}/r/release.ko.md:4: front matter is nested deeper than"
    f" the 16-level limit (yaml_depth) — {FLAT_FIX}",
)
def _(ctx: Ctx) -> list[str]:
    return build(ctx, release(ctx, "title: 제목\nextra: " + "[" * 3000 + "]" * 3000 + "\n"))


@case(
    "front-matter-nested-300-deep-block",
    1,
    "Error: {dir}/r/release.ko.md:20: front matter is nested deeper"
    f" than the 16-level limit (yaml_depth) — {FLAT_FIX}",
)
def _(ctx: Ctx) -> list[str]:
    nested = "".join("  " * i + f"k{i}:\n" for i in range(300))
    return build(ctx, release(ctx, "title: 제목\n" + nested + "  " * 300 + "x: 1\n"))


@case(
    "front-matter-over-1-mib",
    1,
    "Error: {dir}/r/release.ko.md:2: front matter (1,100,029 bytes) exceeds the"
    f" 1 MiB limit (front_matter_bytes) — {FLAT_FIX}",
)
def _(ctx: Ctx) -> list[str]:
    return build(ctx, release(ctx, "title: 제목\nnote: " + "x" * 1_100_000 + "\n"))


@case(
    "yaml-alias-laughs",
    1,
    "Error: {dir}/r/release.ko.md:13: 'l9' must be text — write 'l9: …' on one line or as a '|' block",
)
def _(ctx: Ctx) -> list[str]:
    lines = ["l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 10)}]" for i in range(1, 10)]
    return build(ctx, release(ctx, "title: 제목\n" + "\n".join(lines) + "\n"))


@case(
    "source-over-16-mib",
    1,
    "Error: {dir}/r/release.ko.md: the file (17.0 MiB) exceeds the 16 MiB limit"
    " (source_bytes) — " + CAP_FIX.format(env="SOURCE_BYTES"),
    bomb=True,
)
def _(ctx: Ctx) -> list[str]:
    return build(ctx, release(ctx, "title: 제목\n", "본문 " * (17 * 1024 * 1024 // 7)))


@case(
    "stdin-over-16-mib",
    1,
    "Error: <stdin>: standard input exceeds the 16 MiB limit (source_bytes) — translate the text in parts",
    bomb=True,
    stdin=lambda ctx: b"a" * (17 * 1024 * 1024),
)
def _(ctx: Ctx) -> list[str]:
    return ["translate", "-", "--from", "en", "--to", "ko"]


def _long_title_check(ctx: Ctx, stdout: str, stderr: str) -> None:
    import docx

    props = docx.Document(str(ctx.folder / "out" / "r" / "r.ko.docx")).core_properties
    for value in (props.title, props.author, props.subject):
        assert len(value) == 255 and value.endswith("…")


@case("title-organization-subtitle-over-255", 0, check=_long_title_check)
def _(ctx: Ctx) -> list[str]:
    long = "창원특례시 방산 포럼 개최 " * 30
    return build(ctx, release(ctx, f"title: {long}\norganization: {long}\nsubtitle: {long}\n"))


@case("dateline-over-255", 0)
def _(ctx: Ctx) -> list[str]:
    return build(ctx, release(ctx, f"title: Title\ndateline: {'CHANGWON ' * 60}\n", "Body text.", lang="en"))


def _contact_check(ctx: Ctx, stdout: str, stderr: str) -> None:
    import subprocess

    text = subprocess.run(
        ["pdftotext", str(ctx.folder / "out" / "r" / "r.ko.pdf"), "-"], capture_output=True, text=True
    ).stdout
    # the 보도자료 contact table: one row per person (담당자 | name | phone), in order
    assert re.findall(r"(\d{4})\s+055-225-(\d{4})", text) == [(f"{i:04d}", f"{i:04d}") for i in range(3000)]
    assert text.count("담당자") == 3000
    assert text.count("\f") > 40  # pages


@case("contact-3000-lines", 0, check=_contact_check)
def _(ctx: Ctx) -> list[str]:
    contact = "".join(f"  담당자 {i:04d} 055-225-{i:04d}\n" for i in range(3000))
    return build(ctx, release(ctx, "title: 제목\ncontact: |\n" + contact))


@case(
    "binary-source",
    1,
    "Error: {dir}/r/release.ko.md: binary file, not a text release — give a .md, .txt"
    " or .docx release (Word files must end in .docx)",
)
def _(ctx: Ctx) -> list[str]:
    path = release(ctx, "title: x\n")
    path.write_bytes(b"---\x00\x01\x02" * 1000)
    return build(ctx, path)


# --------------------------------------------------------------------------- DOCX


@case(
    "docx-zip-bomb-80-mib",
    1,
    "Error: {dir}/bomb.docx: word/document.xml (80.0 MiB unpacked) exceeds the"
    " 64 MiB limit (zip_member_bytes) — " + CAP_FIX.format(env="ZIP_MEMBER_BYTES"),
    bomb=True,
)
def _(ctx: Ctx) -> list[str]:
    members = docx_members()
    members["word/document.xml"] = (
        f'<w:document xmlns:w="{W}"><w:body><w:p><w:r><w:t>'.encode()
        + b" " * (80 * 1024 * 1024)
        + b"</w:t></w:r></w:p></w:body></w:document>"
    )
    return build(ctx, write_zip(ctx.folder / "bomb.docx", members))


@case(
    "docx-directory-claims-4-gib",
    1,
    "Error: {dir}/claims.docx: word/document.xml (4.0 GiB unpacked) exceeds"
    " the 64 MiB limit (zip_member_bytes) — " + CAP_FIX.format(env="ZIP_MEMBER_BYTES"),
    bomb=True,
)
def _(ctx: Ctx) -> list[str]:
    path = docx_file(ctx, para("본문이다."), name="claims.docx")
    set_declared_size(path, "word/document.xml", 0xFFFFFFF0)
    return build(ctx, path)


@case(
    "docx-directory-understates",
    1,
    "Error: {dir}/liar.docx: not a readable Word .docx file (damaged member"
    " 'word/document.xml': Bad CRC-32 for file 'word/document.xml')"
    " — open it in Word and save as .docx again",
)
def _(ctx: Ctx) -> list[str]:
    path = docx_file(ctx, para("본문이다. " * 2000), name="liar.docx")
    set_declared_size(path, "word/document.xml", 100)
    return build(ctx, path)


@case(
    "docx-10001-members",
    1,
    "Error: {dir}/many.docx: the archive (10,018 files) exceeds the 10,000 members"
    " limit (zip_members) — " + CAP_FIX.format(env="ZIP_MEMBERS"),
)
def _(ctx: Ctx) -> list[str]:
    members = docx_members()
    members.update({f"word/media/x{i}.bin": b"" for i in range(10_001)})
    return build(ctx, write_zip(ctx.folder / "many.docx", members))


@case(
    "docx-nested-3000",
    1,
    "Error: {dir}/doc.docx: word/document.xml is nested deeper than the 100-level"
    " limit (xml_depth) — " + CAP_FIX.format(env="XML_DEPTH"),
)
def _(ctx: Ctx) -> list[str]:
    return build(
        ctx, docx_file(ctx, "<w:sdt><w:sdtContent>" * 3000 + para("x") + "</w:sdtContent></w:sdt>" * 3000)
    )


@case(
    "docx-billion-laughs",
    1,
    "Error: {dir}/doc.docx: text from XML entities in word/document.xml exceeds the"
    " 1,048,576 characters limit (text_expansion_chars) — " + CAP_FIX.format(env="TEXT_EXPANSION_CHARS"),
    bomb=True,
)
def _(ctx: Ctx) -> list[str]:
    decls = '<!ENTITY l0 "lol">' + "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
    return build(ctx, docx_file(ctx, para("&l9;"), doctype=f"<!DOCTYPE w:document [{decls}]>"))


def _xxe_check(ctx: Ctx, stdout: str, stderr: str) -> None:
    assert "TOP SECRET" not in out_text(ctx, "doc", "ko")
    assert (
        f"Warning: {ctx.folder}/doc.docx: entity &xxe; refers to an external file and was not read" in stderr
    )


@case("docx-xxe-reads-nothing", 0, check=_xxe_check)
def _(ctx: Ctx) -> list[str]:
    secret = ctx.folder / "secret.txt"
    secret.write_text("TOP SECRET")
    doctype = f'<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file://{secret}">]>'
    return build(ctx, docx_file(ctx, para("앞 &xxe; 뒤 문장이다."), doctype=doctype))


def _tracked_check(ctx: Ctx, stdout: str, stderr: str) -> None:
    text = out_text(ctx, "doc", "ko")
    assert "창원특례시는 25일 포럼을 열었다." in text
    assert "취소" not in text
    assert "시간 | 내용" in text and "10:00 | 개회식" in text
    assert "&city;" not in text and "창원에서 열린 포럼이다." in text


@case("docx-insertions-tables-entities", 0, check=_tracked_check)
def _(ctx: Ctx) -> list[str]:
    tracked = (
        '<w:p><w:r><w:t xml:space="preserve">창원특례시는 </w:t></w:r>'
        '<w:ins w:id="1" w:author="k"><w:r><w:t xml:space="preserve">25일 </w:t></w:r></w:ins>'
        '<w:del w:id="2" w:author="k"><w:r><w:delText>취소된 </w:delText></w:r></w:del>'
        "<w:r><w:t>포럼을 열었다.</w:t></w:r></w:p>"
    )
    cell = "<w:tc>{}</w:tc>"
    table = (
        "<w:tbl>"
        f"<w:tr>{cell.format(para('시간'))}{cell.format(para('내용'))}</w:tr>"
        f"<w:tr>{cell.format(para('10:00'))}{cell.format(para('개회식'))}</w:tr>"
        "</w:tbl>"
    )
    body = tracked + table + para("&city;에서 열린 포럼이다.")
    return build(ctx, docx_file(ctx, body, doctype='<!DOCTYPE w:document [<!ENTITY city "창원">]>'))


@case(
    "docx-not-a-zip",
    1,
    "Error: {dir}/fake.docx: not a readable Word .docx file (not a valid zip archive"
    " (File is not a zip file)) — open it in Word and save as .docx again",
)
def _(ctx: Ctx) -> list[str]:
    path = ctx.folder / "fake.docx"
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    return build(ctx, path)


# --------------------------------------------------------------------------- glossary, TBX


def glossary(ctx: Ctx, rows: str) -> Path:
    path = ctx.folder / "glossary.csv"
    path.write_text(GLOSSARY_HEADER + rows, "utf-8")
    return path


@case(
    "glossary-formula-cells",
    1,
    "Error: {dir}/glossary.csv:3: note cell '=HYPERLINK(\"http://x.example\")' would"
    " run as a formula in Excel (CSV injection) — put an apostrophe (') in front of it so spreadsheets"
    " show it as text",
)
def _(ctx: Ctx) -> list[str]:
    path = glossary(
        ctx, '"=cmd|\' /C calc\'!A1",Calc,term,\n창원,Changwon,place,"=HYPERLINK(""http://x.example"")"\n'
    )
    return ["glossary", "lint", str(path)]


def tbx_text(terms: list[tuple[str, str]]) -> str:
    entries = "".join(
        '<termEntry><descrip type="subjectField">term</descrip>'
        f'<langSet xml:lang="ko"><tig><term>{ko}</term></tig></langSet>'
        f'<langSet xml:lang="en"><tig><term>{en}</term></tig></langSet></termEntry>'
        for ko, en in terms
    )
    return f'<?xml version="1.0"?><martif type="TBX-Basic"><text><body>{entries}</body></text></martif>'


def _neutralised_check(ctx: Ctx, stdout: str, stderr: str) -> None:
    import csv
    import io

    rows = list(csv.reader(io.StringIO((ctx.folder / "glossary.csv").read_text("utf-8"), newline="")))
    assert rows[-2:] == [["'=cmd|' /C calc'!A1", "Calc", "term", ""], ["-끝-", "-End-", "term", ""]]


@case("tbx-import-formulas-neutralised", 0, check=_neutralised_check)
def _(ctx: Ctx) -> list[str]:
    path = glossary(ctx, "창원,Changwon,place,\n")
    tbx = ctx.folder / "in.tbx"
    tbx.write_text(tbx_text([("=cmd|' /C calc'!A1", "Calc"), ("-끝-", "-End-")]), "utf-8")
    return ["glossary", "import", str(tbx), "--glossary", str(path)]


@case(
    "tbx-nested-50000",
    1,
    "Error: {dir}/deep.tbx:1: the TBX file is nested deeper than the 100-level limit"
    " (xml_depth) — " + CAP_FIX.format(env="XML_DEPTH"),
)
def _(ctx: Ctx) -> list[str]:
    path = glossary(ctx, "창원,Changwon,place,\n")
    deep = ctx.folder / "deep.tbx"
    deep.write_text("<martif>" + "<x>" * 50_000 + "</x>" * 50_000 + "</martif>")
    return ["glossary", "import", str(deep), "--glossary", str(path)]


@case(
    "tbx-billion-laughs",
    1,
    "Error: {dir}/lol.tbx:1: unsafe XML: entity declaration <!ENTITY a> refused"
    " — export the termbase again from the CAT tool as TBX without DTD entities",
)
def _(ctx: Ctx) -> list[str]:
    path = glossary(ctx, "창원,Changwon,place,\n")
    lol = ctx.folder / "lol.tbx"
    lol.write_text('<!DOCTYPE martif [<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;&a;">]><martif>&b;</martif>')
    return ["glossary", "import", str(lol), "--glossary", str(path)]


@case(
    "glossary-10-mb-cell",
    1,
    "Error: {dir}/glossary.csv:2: a cell of the row starting on line 2 exceeds the"
    " 131,072 characters limit (csv_cell_chars) — glossary cells hold one term or a short note:"
    " shorten the cell",
)
def _(ctx: Ctx) -> list[str]:
    return ["glossary", "lint", str(glossary(ctx, '창원,Changwon,place,"' + "x" * 10_000_000 + '"\n'))]


@case(
    "glossary-over-32-mib",
    1,
    "Error: {dir}/glossary.csv: the glossary (33 MiB) exceeds the 32 MiB limit"
    " (glossary_bytes) — " + CAP_FIX.format(env="GLOSSARY_BYTES"),
    bomb=True,
)
def _(ctx: Ctx) -> list[str]:
    path = glossary(ctx, "")
    with path.open("a", encoding="utf-8") as fh:
        fh.write("x" * (33 * 1024 * 1024 - len(GLOSSARY_HEADER)))
    return ["glossary", "lint", str(path)]


@case(
    "glossary-250000-rows",
    1,
    "Error: {dir}/glossary.csv:200002: the glossary (more than 200,000 rows) exceeds the 200,000 rows limit"
    " (glossary_rows) — " + CAP_FIX.format(env="GLOSSARY_ROWS"),
    bomb=True,
)
def _(ctx: Ctx) -> list[str]:
    rows = "".join(f"용어{i},Term {i},term,\n" for i in range(250_000))
    return ["glossary", "lint", str(glossary(ctx, rows))]


@case(
    "tbx-too-many-elements",
    1,
    "Error: {dir}/wide.tbx:1: the TBX file (more than 100,000 elements) exceeds the 100,000 elements"
    " limit (xml_elements) — " + CAP_FIX.format(env="XML_ELEMENTS"),
    bomb=True,
    env={"PRESSPACK_LIMIT_XML_ELEMENTS": "100000"},  # the default (1,000,000) works the same, 10x slower
)
def _(ctx: Ctx) -> list[str]:
    path = glossary(ctx, "창원,Changwon,place,\n")
    wide = ctx.folder / "wide.tbx"
    wide.write_text("<martif>" + "<x/>" * 100_100 + "</martif>")
    return ["glossary", "import", str(wide), "--glossary", str(path)]


# --------------------------------------------------------------------------- model packages


@case(
    "package-type-sbd-over-working-model",
    1,
    "Error: {dir}/bad.argosmodel: translate-ko_en-1_0/metadata.json"
    " says type 'sbd': a sentence-boundary package, not a translation model — install a"
    " translate-*.argosmodel package (presspack only uses translation models)",
    keeps_models=True,
)
def _(ctx: Ctx) -> list[str]:
    return ["models", "install", str(mutated_package(ctx, type="sbd"))]


@case(
    "package-version-5000-digits",
    1,
    "Error: {dir}/bad.argosmodel: translate-ko_en-1_0/metadata.json:"
    " package_version (5,000 characters) exceeds the 32 characters limit (version_chars) — " + MODEL_FIX,
    keeps_models=True,
)
def _(ctx: Ctx) -> list[str]:
    return ["models", "install", str(mutated_package(ctx, package_version="1" * 5000))]


@case(
    "package-directory-claims-4-gib",
    1,
    "Error: {dir}/bomb.argosmodel: the package (4.0 GiB unpacked) exceeds"
    " the 4 GiB limit (package_unpacked_bytes) — " + DOWNLOAD_FIX,
    keeps_models=True,
    bomb=True,
)
def _(ctx: Ctx) -> list[str]:
    bomb = ctx.folder / "bomb.argosmodel"
    bomb.write_bytes(ctx.copy_model.read_bytes())
    set_declared_size(bomb, "translate-ko_en-1_0/model/model.bin", 0xFFFFFFF0)
    return ["models", "install", str(bomb)]


@case(
    "package-metadata-nested-deep",
    1,
    "Error: {dir}/bad.argosmodel: translate-ko_en-1_0/metadata.json is nested"
    " deeper than the 64-level limit (json_depth) — " + MODEL_FIX,
    keeps_models=True,
)
def _(ctx: Ctx) -> list[str]:
    with zipfile.ZipFile(ctx.copy_model) as zf:
        members = {i.filename: zf.read(i) for i in zf.infolist()}
    deep = b'{"from_code": "ko", "to_code": "en", "x": ' + b"[" * 5000 + b"]" * 5000 + b"}"
    members["translate-ko_en-1_0/metadata.json"] = deep
    return ["models", "install", str(write_zip(ctx.folder / "bad.argosmodel", members))]


def _broken_list_check(ctx: Ctx, stdout: str, stderr: str) -> None:
    assert "\nko→en  translate-ko_en-1_0 1.0  " in "\n" + stdout
    assert stderr.startswith(
        f"Warning: {ctx.packages}/translate-ko_en-9_9: broken package, ignored (metadata.json:"
        " package_version (5,000 characters) exceeds the 32 characters limit (version_chars))"
    )


@case("broken-package-in-folder-is-listed-not-fatal", 0, check=_broken_list_check)
def _(ctx: Ctx) -> list[str]:
    folder = ctx.packages / "translate-ko_en-9_9"
    (folder / "model").mkdir(parents=True)
    (folder / "model" / "model.bin").write_bytes(b"x")
    (folder / "sentencepiece.model").write_bytes(b"x")
    meta = {"from_code": "ko", "to_code": "en", "package_version": "9" * 5000}
    (folder / "metadata.json").write_text(json.dumps(meta))
    return ["models", "list"]


@case(
    "index-links-to-local-file",
    1,
    "Error: cannot download the ko→en package from refused file:///etc/passwd is"
    f" not an absolute https:// or http:// URL; check the network or {OFFLINE}",
    keeps_models=True,
)
def _(ctx: Ctx) -> list[str]:
    index_of(ctx, ["file:///etc/passwd"])
    return INSTALL


@case(
    "index-links-to-dev-zero",
    1,
    "Error: cannot download the ko→en package from refused file:///dev/zero is"
    f" not an absolute https:// or http:// URL; check the network or {OFFLINE}",
    keeps_models=True,
    bomb=True,
)
def _(ctx: Ctx) -> list[str]:
    index_of(ctx, ["file:///dev/zero"])
    return INSTALL


@case(
    "index-relative-link",
    1,
    "Error: cannot download the ko→en package from refused translate-ko_en.argosmodel"
    f" is not an absolute https:// or http:// URL; check the network or {OFFLINE}",
    keeps_models=True,
)
def _(ctx: Ctx) -> list[str]:
    index_of(ctx, ["translate-ko_en.argosmodel"])
    return INSTALL


@case(
    "index-redirect-to-file",
    1,
    "Error: cannot download the ko→en package from refused redirected to"
    f" file:///etc/passwd is not an absolute https:// or http:// URL; check the network or {OFFLINE}",
    keeps_models=True,
)
def _(ctx: Ctx) -> list[str]:
    index_of(ctx, [ctx.index + "/pkg"])
    ctx.routes["/pkg"] = (302, {"Location": "file:///etc/passwd"}, b"")
    return INSTALL


@case(
    "index-of-1-gib",
    1,
    "Error: refusing the package index at {index}/index.json: the index (1 GiB) exceeds"
    f" the 16 MiB limit (index_bytes) — check ARGOS_PACKAGE_INDEX or {OFFLINE}",
    keeps_models=True,
    bomb=True,
)
def _(ctx: Ctx) -> list[str]:
    ctx.routes["/index.json"] = (200, {"Content-Length": str(1024**3)}, b"[" * 65536)
    return INSTALL


@case(
    "index-nested-deep",
    1,
    "Error: the package index at {index}/index.json is nested deeper than the 64-level"
    f" limit (json_depth) — check ARGOS_PACKAGE_INDEX or {OFFLINE}",
    keeps_models=True,
)
def _(ctx: Ctx) -> list[str]:
    ctx.routes["/index.json"] = (200, {}, b"[" * 100_000 + b"]" * 100_000)
    return INSTALL


@case(
    "index-only-absurd-versions",
    1,
    "Error: the package index at {index}/index.json offers no ko→en package"
    f" — check the language codes or {OFFLINE}",
    keeps_models=True,
)
def _(ctx: Ctx) -> list[str]:
    index_of(ctx, [ctx.index + "/x"], version="9" * 5000)
    return INSTALL


@case(
    "index-not-json",
    1,
    "Error: the package index at {index}/index.json is not valid JSON (Expecting value:"
    f" line 1 column 1 (char 0)) — check ARGOS_PACKAGE_INDEX or {OFFLINE}",
    keeps_models=True,
)
def _(ctx: Ctx) -> list[str]:
    ctx.routes["/index.json"] = (200, {}, b"<html>not json</html>")
    return INSTALL


@case(
    "package-download-over-2-gib",
    1,
    "Error: cannot download the ko→en package from refused the package (3 GiB)"
    f" exceeds the 2 GiB limit (package_bytes); check the network or {OFFLINE}",
    keeps_models=True,
)
def _(ctx: Ctx) -> list[str]:
    index_of(ctx, [ctx.index + "/big"])
    ctx.routes["/big"] = (200, {"Content-Length": str(3 * 1024**3)}, b"PK")
    return INSTALL


# --------------------------------------------------------------------------- translation


def _long_paragraph_check(ctx: Ctx, stdout: str, stderr: str) -> None:
    assert stdout.rstrip("\n") == (ctx.folder / "long.txt").read_text("utf-8").rstrip("\n")


@case(
    "one-paragraph-30000-chars-no-punctuation",
    0,
    check=_long_paragraph_check,
    stdin=lambda ctx: (ctx.folder / "long.txt").read_bytes(),
)
def _(ctx: Ctx) -> list[str]:
    words = ["the", "city", "and", "local", "defense", "companies", "will", "enter", "global", "markets"]
    text = " ".join(words[(i * 7) % len(words)] for i in range(4500))[:30_000]
    (ctx.folder / "long.txt").write_text(text + "\n", "utf-8")
    return ["translate", "-", "--from", "en", "--to", "ko", "--glossary", str(glossary(ctx, ""))]


def _memory_check(ctx: Ctx, stdout: str, stderr: str) -> None:
    # a memory presspack cannot read is a person's problem to look at: never written over
    assert (ctx.folder / "r" / "release.en.tm.json").read_text("utf-8") == "[" * 100_000 + "]" * 100_000


@case(
    "memory-file-nested-deep",
    1,
    "Error: {dir}/r/release.en.tm.json: unreadable translation memory: its JSON is nested deeper than"
    " the 64-level limit (json_depth) — restore it from version control (git checkout -- FILE), or"
    " delete it to adopt the translation as it is written now",
    check=_memory_check,
)
def _(ctx: Ctx) -> list[str]:
    src = release(ctx, "title: 포럼 개최\n", "시는 포럼을 열었다.")
    (src.parent / "release.en.md").write_text(
        "---\ntitle: Forum held\nlang: en\ntranslation_of: ko\n---\n\nThe city held a forum.\n", "utf-8"
    )
    (src.parent / "release.en.tm.json").write_text("[" * 100_000 + "]" * 100_000, "utf-8")
    return ["build", str(src.parent), "--out", str(ctx.folder / "out"), "--glossary", str(glossary(ctx, ""))]


@case("build-cache-nested-deep", 0)
def _(ctx: Ctx) -> list[str]:
    src = release(ctx, "title: 포럼 개최\n", "시는 포럼을 열었다.")
    (ctx.folder / "out").mkdir()
    (ctx.folder / "out" / ".presspack-cache.json").write_text('{"a": ' + "[" * 100_000 + "]" * 100_000 + "}")
    return ["build", str(src.parent), "--out", str(ctx.folder / "out"), "--glossary", str(glossary(ctx, ""))]


@case(
    "style-nested-deep",
    1,
    "Error: {dir}/style/default/style.toml: style file is nested too deeply — a style holds [tables] of"
    " key = value",
)
def _(ctx: Ctx) -> list[str]:
    src = release(ctx, "title: 포럼 개최\n", "시는 포럼을 열었다.")
    style = ctx.folder / "style" / "default"
    style.mkdir(parents=True)
    (style / "style.toml").write_text("a = " + "[" * 5000 + "]" * 5000 + "\n")
    return [
        "build",
        str(src.parent),
        "--out",
        str(ctx.folder / "out"),
        "--templates",
        str(ctx.folder / "style"),
    ]


def write_all(out: Path) -> None:
    """Write every case's input under ``out`` (the index-based cases need a server: skipped)."""
    for c in CASES:
        folder = out / c.name
        folder.mkdir(parents=True, exist_ok=True)
        ctx = Ctx(folder, "http://127.0.0.1:9", {}, folder / "packages", folder / "missing.argosmodel")
        try:
            args = c.setup(ctx)
        except (OSError, ValueError) as exc:
            print(f"{c.name}: skipped ({exc})")
            continue
        print(f"{c.name}: presspack {' '.join(args)}")


if __name__ == "__main__":
    write_all(Path(sys.argv[1] if len(sys.argv) > 1 else "hostile-corpus"))
