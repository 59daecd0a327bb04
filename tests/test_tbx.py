"""TBX export/import, merge report and the atomic CSV writer."""

from __future__ import annotations

import os
import unicodedata
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from toolkit.core.errors import GlossaryError
from toolkit.terminology.glossary import Entry, Glossary, load_glossary
from toolkit.terminology.tbx import (
    Conflict,
    MergeReport,
    detect_csv_style,
    export_tbx,
    merge,
    read_terms,
    write_glossary_csv,
)

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def E(ko: str, en: str, category: str = "place", note: str = "", line: int = 0) -> Entry:
    return Entry(ko=ko, en=en, category=category, note=note, line=line)


def key(entries: list[Entry] | tuple[Entry, ...]) -> list[tuple[str, str, str, str]]:
    return [(e.ko, e.en, e.category, e.note) for e in entries]


def line_of(text: str, needle: str) -> int:
    """1-based line of the single line containing ``needle``."""
    (hit,) = [i + 1 for i, s in enumerate(text.split("\n")) if needle in s]
    return hit


SAMPLE = Glossary(
    entries=(
        E("창원특례시", "Changwon Special City", "place", "official name since 2022", 2),
        E("창원시", "Changwon Special City", "place", "", 3),  # synonym, admitted
        E("방위사업청", "Defense Acquisition Program Administration", "org", "", 4),
        E("K9 자주포", "K9 Thunder", "defense", 'quote " & <tag> note', 5),
        E("진해 군항제", "Jinhae Gunhangje Festival", "event", "", 6),
    ),
    path="/some/where/glossary.csv",
)


# --------------------------------------------------------------------------- export


def test_round_trip_csv_tbx_entries(tmp_path: Path) -> None:
    src = tmp_path / "glossary.csv"
    write_glossary_csv(SAMPLE, src)
    loaded = load_glossary(src)
    assert key(loaded.entries) == key(SAMPLE.entries)
    tbx = tmp_path / "glossary.tbx"
    tbx.write_bytes(export_tbx(loaded))
    back = read_terms(tbx)
    assert key(back) == key(SAMPLE.entries)
    # lines point at the <term> element of each ko term in the TBX file
    lines = tbx.read_text(encoding="utf-8").split("\n")
    assert all(f"<term>{e.ko}</term>" in lines[e.line - 1] for e in back)


def _row(e: Entry) -> tuple[object, ...]:
    """Every column of a row but its line."""
    columns = (e.ko, e.en, e.category, e.note, e.case_insensitive, e.abbr)
    return (*columns, e.en_variants, e.not_near, e.only_near)


def test_the_project_glossary_survives_a_tbx_round_trip_whole(tmp_path: Path) -> None:
    """Rebuilding a glossary from its TBX (a CAT tool's termbase) dropped every context rule
    (the 42 not_near/only_near rows, such as the one that stops 2차 세계 대전 from reading as
    Daejeon) and gave one row's en_variants to the other rows of its concept."""
    real = load_glossary(Path(__file__).resolve().parents[1] / "glossary.csv")
    assert sum(1 for e in real.entries if e.not_near or e.only_near) >= 40
    tbx = tmp_path / "glossary.tbx"
    tbx.write_bytes(export_tbx(real))
    back = read_terms(tbx)
    assert sorted(map(_row, back)) == sorted(map(_row, real.entries))
    rebuilt = tmp_path / "rebuilt.csv"
    write_glossary_csv(merge(Glossary(entries=(), path=str(rebuilt)), back)[0], rebuilt)
    assert sorted(map(_row, load_glossary(rebuilt).entries)) == sorted(map(_row, real.entries))


def test_a_foreign_tools_admitted_terms_belong_to_every_row_of_the_concept(tmp_path: Path) -> None:
    tbx = tmp_path / "t.tbx"
    tbx.write_text(
        '<?xml version="1.0"?><martif type="TBX"><text><body><termEntry>'
        '<descrip type="subjectField">place</descrip>'
        '<langSet xml:lang="ko"><tig><term>창원특례시</term></tig><tig><term>창원시</term></tig></langSet>'
        '<langSet xml:lang="en"><tig><term>Changwon Special City</term>'
        '<termNote type="administrativeStatus">preferredTerm-admn-sts</termNote></tig>'
        "<tig><term>Changwon City</term></tig></langSet>"
        "</termEntry></body></text></martif>",
        "utf-8",
    )
    assert [(e.ko, e.en_variants) for e in read_terms(tbx)] == [
        ("창원특례시", ("Changwon City",)),
        ("창원시", ("Changwon City",)),
    ]


def test_export_structure_and_preferred_marking() -> None:
    root = ET.fromstring(export_tbx(SAMPLE))
    assert root.tag == "martif"
    assert root.attrib == {"type": "TBX-Basic", XML_LANG: "en"}
    assert [c.tag for c in root] == ["martifHeader", "text"]
    assert root.find("martifHeader/fileDesc/sourceDesc/p") is not None
    assert root.findtext("martifHeader/fileDesc/sourceDesc/p") == (
        "presspack glossary export of glossary.csv"
    )
    concepts = root.findall("text/body/termEntry")
    assert len(concepts) == 4  # the two Changwon rows share one concept
    first = concepts[0]
    assert [c.tag for c in first] == ["descrip", "langSet", "langSet"]
    assert first.find("descrip").attrib == {"type": "subjectField"}  # type: ignore[union-attr]
    assert first.findtext("descrip") == "place"
    ko, en = first.findall("langSet")
    assert ko.get(XML_LANG) == "ko" and en.get(XML_LANG) == "en"
    tigs = ko.findall("tig")
    assert [t.findtext("term") for t in tigs] == ["창원특례시", "창원시"]
    assert [c.tag for c in tigs[0]] == ["term", "termNote", "termNote", "note"]
    statuses = [
        t.find("termNote[@type='administrativeStatus']").text  # type: ignore[union-attr]
        for t in tigs
    ]
    assert statuses == ["preferredTerm-admn-sts", "admittedTerm-admn-sts"]
    assert tigs[0].findtext("termNote[@type='partOfSpeech']") == "noun"
    assert tigs[0].findtext("note") == "official name since 2022"
    assert tigs[1].find("note") is None  # empty note → no element
    assert en.findtext("tig/term") == "Changwon Special City"
    k9 = concepts[2]
    assert k9.findtext("langSet/tig/note") == 'quote " & <tag> note'
    ids = [c.get("id") for c in concepts]
    assert len(set(ids)) == 4 and all(i and i.startswith("c-") for i in ids)


def test_export_is_deterministic_and_ids_stable() -> None:
    data = export_tbx(SAMPLE)
    assert data == export_tbx(SAMPLE)
    assert data.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<martif ')
    assert b"\r" not in data and data.endswith(b"</martif>\n")
    assert b"/some/where" not in data  # only the file name, not the machine's path
    # a row inserted at the top must not renumber the other concepts
    grown = Glossary(entries=(E("마산", "Masan"), *SAMPLE.entries))
    old_ids = [c.get("id") for c in ET.fromstring(data).iter("termEntry")]
    new_ids = [c.get("id") for c in ET.fromstring(export_tbx(grown)).iter("termEntry")]
    assert new_ids[1:] == old_ids


def test_scattered_synonyms_are_gathered_under_first_row(tmp_path: Path) -> None:
    g = Glossary(entries=(E("가", "A"), E("나", "B"), E("다", "A"), E("라", "A", "org")))
    path = tmp_path / "g.tbx"
    path.write_bytes(export_tbx(g))
    # same en + same category → one concept; another category → its own concept
    assert [e.ko for e in read_terms(path)] == ["가", "다", "나", "라"]


def test_export_refuses_control_characters_listing_all_rows() -> None:
    g = Glossary(entries=(E("가\x01", "A", line=2), E("나", "B\x0b", line=3)), path="g.csv")
    with pytest.raises(GlossaryError) as info:
        export_tbx(g)
    assert [(p.line, p.what) for p in info.value.problems] == [
        (2, "column ko contains control character(s) U+0001"),
        (3, "column en contains control character(s) U+000B"),
    ]


# --------------------------------------------------------------------------- import

TBX_V3 = """<?xml version="1.0" encoding="UTF-8"?>
<?xml-model href="TBXcoreStructV03_TBX-Basic_integrated.rng" type="application/xml"?>
<tbx type="TBX-Basic" style="dca" xml:lang="en" xmlns="urn:iso:std:iso:30042:ed-2">
  <tbxHeader><fileDesc><sourceDesc><p>memoQ export</p></sourceDesc></fileDesc></tbxHeader>
  <text>
    <body>
      <conceptEntry id="c1">
        <descrip type="subjectField">Defense</descrip>
        <langSec xml:lang="EN-us">
          <termSec><term>Korean Air and Missile Defense</term></termSec>
        </langSec>
        <langSec xml:lang="ko-KR">
          <note>concept-level Korean note</note>
          <termSec>
            <term>한국형 미사일방어</term>
            <termNote type="administrativeStatus">admittedTerm-admn-sts</termNote>
          </termSec>
          <termSec>
            <term>한국형 <hi>미사일</hi>
              방어체계</term>
            <termNote type="administrativeStatus">preferredTerm-admn-sts</termNote>
            <note>use in headlines</note>
          </termSec>
          <termSec>
            <term>KAMD 체계</term>
            <termNote type="administrativeStatus">deprecatedTerm-admn-sts</termNote>
          </termSec>
        </langSec>
      </conceptEntry>
      <conceptEntry id="c2">
        <langSec xml:lang="de"><termSec><term>Rathaus</term></termSec></langSec>
        <langSec xml:lang="en"><termSec><term>city hall</term></termSec></langSec>
      </conceptEntry>
      <conceptEntry id="c3">
        <langSec xml:lang="ko"><termSec><term>시청</term></termSec></langSec>
        <langSec xml:lang="en"><termSec><term>city hall</term></termSec></langSec>
      </conceptEntry>
    </body>
  </text>
</tbx>
"""


LANG_NOTE = "concept-level Korean note"  # langSec note: for terms without their own


def test_tbx_v3_import(tmp_path: Path) -> None:
    path = tmp_path / "memoq.tbx"
    path.write_text(TBX_V3, encoding="utf-8")
    entries = read_terms(path)
    assert key(entries) == [
        # preferred first, deprecated last; markup and line breaks flattened
        ("한국형 미사일 방어체계", "Korean Air and Missile Defense", "defense", "use in headlines"),
        ("한국형 미사일방어", "Korean Air and Missile Defense", "defense", LANG_NOTE),
        ("KAMD 체계", "Korean Air and Missile Defense", "defense", LANG_NOTE),
        # c2 has no Korean: skipped; c3 has no subjectField: default category
        ("시청", "city hall", "term", ""),
    ]
    assert [e.line for e in entries] == [
        line_of(TBX_V3, "<term>한국형 <hi>"),
        line_of(TBX_V3, "<term>한국형 미사일방어</term>"),
        line_of(TBX_V3, "<term>KAMD 체계</term>"),
        line_of(TBX_V3, "<term>시청</term>"),
    ]


def test_utf16_tbx_with_bom_is_read(tmp_path: Path) -> None:
    text = export_tbx(SAMPLE).decode("utf-8").replace('encoding="UTF-8"', 'encoding="UTF-16"')
    path = tmp_path / "trados.tbx"
    path.write_bytes(text.encode("utf-16"))
    assert key(read_terms(path)) == key(SAMPLE.entries)


def test_nfd_hangul_is_normalised(tmp_path: Path) -> None:
    nfd = unicodedata.normalize("NFD", "창원")
    assert nfd != "창원"
    path = tmp_path / "mac.tbx"
    path.write_bytes(export_tbx(Glossary(entries=(E(nfd, "Changwon"),))))
    assert read_terms(path)[0].ko == "창원"


def test_malformed_xml_reports_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.tbx"
    text = export_tbx(SAMPLE).decode("utf-8").replace("</tig>", "</tigg>", 1)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(GlossaryError) as info:
        read_terms(path)
    (p,) = info.value.problems
    assert p.file == str(path)
    assert p.line == line_of(text, "</tigg>")
    assert p.what.startswith("invalid XML: mismatched tag (column ")
    assert str(info.value).startswith(f"{path}:{p.line}: invalid XML")


def test_unknown_subject_fields_reported_together(tmp_path: Path) -> None:
    text = TBX_V3.replace(">Defense<", ">Aerospace<").replace(
        'id="c3">', 'id="c3"><descrip type="subjectField">x</descrip>'
    )
    path = tmp_path / "t.tbx"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(GlossaryError) as info:
        read_terms(path)
    assert [(p.line, p.what) for p in info.value.problems] == [
        (line_of(text, 'id="c1"'), 'unknown subjectField "aerospace"'),
        (line_of(text, 'id="c3"'), 'unknown subjectField "x"'),
    ]


def test_non_tbx_xml_and_empty_tbx_are_errors(tmp_path: Path) -> None:
    path = tmp_path / "x.tbx"
    path.write_text("<html><body/></html>", encoding="utf-8")
    with pytest.raises(GlossaryError, match="root element <html> is not TBX"):
        read_terms(path)
    path.write_text('<martif type="TBX-Basic"><text><body/></text></martif>', encoding="utf-8")
    with pytest.raises(GlossaryError, match="no Korean–English term pairs found"):
        read_terms(path)


def test_missing_file_is_glossary_error(tmp_path: Path) -> None:
    with pytest.raises(GlossaryError, match="cannot read file"):
        read_terms(tmp_path / "nope.tbx")


SECRET = "TOP-SECRET-0451"


@pytest.mark.parametrize(
    "doctype",
    [
        '<!DOCTYPE martif [<!ENTITY x SYSTEM "{uri}">]>',
        '<!DOCTYPE martif [<!ENTITY % p SYSTEM "{uri}"> %p;]>',
        '<!DOCTYPE martif [<!ENTITY x "{secret}"><!ENTITY y "&x;&x;&x;&x;">]>',
    ],
)
def test_entities_are_refused_without_reading_files(tmp_path: Path, doctype: str) -> None:
    secret_file = tmp_path / "secret.txt"
    secret_file.write_text(SECRET, encoding="utf-8")
    head = doctype.format(uri=secret_file.as_uri(), secret=SECRET)
    body = (
        '<martif type="TBX-Basic"><text><body><termEntry id="a">'
        '<langSet xml:lang="ko"><tig><term>&x;</term></tig></langSet>'
        '<langSet xml:lang="en"><tig><term>a</term></tig></langSet>'
        "</termEntry></body></text></martif>"
    )
    path = tmp_path / "evil.tbx"
    path.write_text(f'<?xml version="1.0"?>\n{head}\n{body}\n', encoding="utf-8")
    with pytest.raises(GlossaryError) as info:
        read_terms(path)
    (p,) = info.value.problems
    assert p.line == 2
    assert p.what.startswith("unsafe XML: entity declaration")
    assert SECRET not in str(info.value)


def test_external_dtd_is_never_loaded(tmp_path: Path) -> None:
    dtd = tmp_path / "TBXcoreStructV02.dtd"
    dtd.write_text("this is not a DTD; loading it would fail", encoding="utf-8")
    text = export_tbx(SAMPLE).decode("utf-8")
    text = text.replace("?>\n", f'?>\n<!DOCTYPE martif SYSTEM "{dtd.as_uri()}">\n', 1)
    path = tmp_path / "trados.tbx"
    path.write_text(text, encoding="utf-8")
    assert key(read_terms(path)) == key(SAMPLE.entries)
    # a network DTD is equally ignored (nothing is fetched: port 9 is discard)
    path.write_text(text.replace(dtd.as_uri(), "http://127.0.0.1:9/x.dtd"), encoding="utf-8")
    assert key(read_terms(path)) == key(SAMPLE.entries)


def test_undeclared_entity_under_external_dtd_is_refused(tmp_path: Path) -> None:
    text = export_tbx(SAMPLE).decode("utf-8")
    text = text.replace("?>\n", '?>\n<!DOCTYPE martif SYSTEM "x.dtd">\n', 1)
    text = text.replace("<term>창원시</term>", "<term>&ghost;</term>")
    path = tmp_path / "t.tbx"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(GlossaryError, match="undefined entity &ghost; refused"):
        read_terms(path)


def test_csv_is_delegated_to_glossary_loader(tmp_path: Path) -> None:
    path = tmp_path / "incoming.csv"
    write_glossary_csv(SAMPLE, path, bom=True, newline="\r\n")
    assert key(read_terms(path)) == key(SAMPLE.entries)


# --------------------------------------------------------------------------- merge

EXISTING = Glossary(
    entries=(
        E("창원특례시", "Changwon Special City", "place", "", 2),
        E("방위사업청", "Defense Acquisition Program Administration", "org", "", 3),
    ),
    path="glossary.csv",
)


def test_merge_add_unchanged_conflict() -> None:
    incoming = [
        E("창원특례시", "Changwon Special City", "place", "other note", 10),  # unchanged
        E("방위사업청", "DAPA", "org", "", 11),  # conflict
        E("진해구", "Jinhae-gu", "place", "", 12),  # added
        E("창원시", "Changwon Special City", "place", "", 13),  # synonym → added after
    ]
    merged, report = merge(EXISTING, incoming)
    assert report == MergeReport(
        added=(incoming[2], incoming[3]),
        unchanged=1,
        conflicts=(
            Conflict(
                ko="방위사업청",
                existing_en="Defense Acquisition Program Administration",
                incoming_en="DAPA",
                existing_line=3,
                incoming_line=11,
            ),
        ),
    )
    assert key(merged.entries) == [
        ("창원특례시", "Changwon Special City", "place", ""),  # existing note kept
        ("방위사업청", "Defense Acquisition Program Administration", "org", ""),
        ("진해구", "Jinhae-gu", "place", ""),
        ("창원시", "Changwon Special City", "place", ""),
    ]
    assert [e.line for e in merged.entries] == [2, 3, 4, 5]
    assert merged.path == "glossary.csv"
    # the existing preferred ko stays first for its en
    first_for_en = next(e.ko for e in merged.entries if e.en == "Changwon Special City")
    assert first_for_en == "창원특례시"


def test_merge_incoming_duplicates_and_nfd() -> None:
    nfd = unicodedata.normalize("NFD", "창원특례시")
    incoming = [
        E(nfd, "Changwon Special City", line=5),  # same term in NFD: unchanged
        E("마산", "Masan", line=6),
        E("마산", "Masan", line=7),  # repeated in the same file: unchanged
        E("마산", "Masanhappo", line=8),  # contradicts the row just added
    ]
    merged, report = merge(EXISTING, incoming)
    assert report.unchanged == 2
    assert report.added == (incoming[1],)
    assert report.conflicts == (Conflict("마산", "Masan", "Masanhappo", 4, 8),)
    assert len(merged.entries) == 3


def test_merge_nothing_new_returns_equal_glossary() -> None:
    merged, report = merge(EXISTING, list(EXISTING.entries))
    assert merged == EXISTING
    assert report == MergeReport(added=(), unchanged=2, conflicts=())


# --------------------------------------------------------------------------- CSV writer


def test_writer_default_is_utf8_lf_with_extra_columns(tmp_path: Path) -> None:
    g = Glossary(
        entries=(
            Entry("가", "A", "place", "multi\nline, note", 2, extra=(("source", "MND"),)),
            Entry("나", "B", "org", "", 3, case_insensitive=True, extra=(("reviewed", "y"),)),
        )
    )
    path = tmp_path / "glossary.csv"
    write_glossary_csv(g, path)
    data = path.read_bytes()
    assert (
        data
        == (
            "ko,en,category,note,case,source,reviewed\n"
            '가,A,place,"multi\nline, note",,MND,\n'
            "나,B,org,,insensitive,,y\n"
        ).encode()
    )
    assert os.listdir(tmp_path) == ["glossary.csv"]
    assert detect_csv_style(path) == (False, "\n")


def test_writer_keeps_bom_and_crlf_of_existing_file(tmp_path: Path) -> None:
    path = tmp_path / "glossary.csv"
    path.write_bytes(b"\xef\xbb\xbfko,en,category,note\r\n\xea\xb0\x80,A,place,\r\n")
    os.chmod(path, 0o640)
    assert detect_csv_style(path) == (True, "\r\n")
    write_glossary_csv(Glossary(entries=(E("가", "A"), E("나", "B"))), path)
    expected = "\ufeffko,en,category,note\r\n가,A,place,\r\n나,B,place,\r\n"
    assert path.read_bytes() == expected.encode()
    assert path.stat().st_mode & 0o777 == 0o640
    assert os.listdir(tmp_path) == ["glossary.csv"]
    # explicit arguments override the detected convention
    write_glossary_csv(Glossary(entries=(E("가", "A"),)), path, bom=False, newline="\n")
    assert path.read_bytes() == "ko,en,category,note\n가,A,place,\n".encode()
    with pytest.raises(ValueError, match="newline"):
        write_glossary_csv(Glossary(entries=()), path, newline="\r")


def test_writer_failure_leaves_original_and_no_temp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "glossary.csv"
    path.write_bytes(b"ko,en,category,note\n")

    def boom(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OSError, match="disk full"):
        write_glossary_csv(SAMPLE, path)
    assert path.read_bytes() == b"ko,en,category,note\n"
    assert os.listdir(tmp_path) == ["glossary.csv"]


def test_merge_then_write_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "glossary.csv"
    write_glossary_csv(EXISTING, path, bom=True, newline="\r\n")
    tbx = tmp_path / "in.tbx"
    tbx.write_bytes(export_tbx(SAMPLE))
    merged, report = merge(EXISTING, read_terms(tbx))
    write_glossary_csv(merged, path)
    assert path.read_bytes().startswith(b"\xef\xbb\xbfko,en,category,note\r\n")
    assert [e.ko for e in report.added] == ["창원시", "K9 자주포", "진해 군항제"]
    reloaded = load_glossary(path).entries
    assert key(reloaded) == key(merged.entries)
    assert [e.line for e in reloaded] == [e.line for e in merged.entries]


def test_writer_output_loads_back_with_case_and_extras(tmp_path: Path) -> None:
    g = Glossary(
        entries=(
            Entry("창원", "Changwon", "place", 'a, "b"', 2, extra=(("source", "city"),)),
            Entry("한화", "Hanwha", "org", "", 3, case_insensitive=True, extra=(("source", ""),)),
        )
    )
    path = tmp_path / "glossary.csv"
    write_glossary_csv(g, path, bom=True, newline="\r\n")
    loaded = load_glossary(path)
    assert loaded.entries == g.entries


def test_a_merge_keeps_the_glossarys_own_columns(tmp_path: Path) -> None:
    """The translators' template keeps its empty standard columns and its order, and an
    incoming CSV saved by Excel with an empty last column adds no unnamed column."""
    target = tmp_path / "glossary.csv"
    header = "ko,en,category,note,abbr,en_variants,not_near,only_near"
    target.write_bytes(f"\ufeff{header}\r\n대전,Daejeon,place,y,,,세계 ~,\r\n".encode())
    incoming = tmp_path / "new.csv"
    dapa = "방위사업청,Defense Acquisition Program Administration,defense"
    incoming.write_text(f"ko,en,category,note,\n{dapa},,\n", "utf-8")
    merged, _ = merge(load_glossary(target), read_terms(incoming))
    write_glossary_csv(merged, target)
    assert target.read_bytes().decode("utf-8") == (
        f"\ufeff{header}\r\n대전,Daejeon,place,y,,,세계 ~,\r\n"
        f"{dapa},,,,,\r\n"
    )
