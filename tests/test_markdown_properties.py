"""Property tests of the one Markdown grammar: read, dump and patch agree.

* ``parse(dump(r)) == r`` for every release read from a file;
* for any file and any change of block texts, ``parse(patch(file, new)) == new``
  and every line outside the changed blocks is byte-identical;
* insertions, deletions and moves of blocks round-trip too.
"""

from __future__ import annotations

from dataclasses import replace

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from markdown_strategies import (
    changed_structure,
    changed_texts,
    inserted_block,
    read,
    release_file,
    top_level_changes,
    valid,
)

from toolkit.core.document import Meta, Release
from toolkit.sources.markdown import dump_markdown, encode_like, read_document
from toolkit.sources.markdown_patch import PATCHED_KEYS, _value, patch_markdown_verbose, same_release
from toolkit.sources.markdown_reader import SECTIONS

SETTINGS = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])


def changed_ranges(text: str, old: Release, new: Release) -> list[tuple[int, int]]:
    """Lines (0-based, end exclusive) of the blocks, headings and keys that differ."""
    doc = read_document(text, "r.md")
    ranges: list[tuple[int, int]] = []
    for section in SECTIONS:
        news = {"body": new.body, "about": new.about, "attachments": new.attachments}[section]
        for loc, block in zip(doc.body.sections[section], news, strict=True):
            if replace(loc.block, line=0) != replace(block, line=0):
                # a list item's marker line is its own, also when a nested block starts on it
                # ("3. > quote": the item's text or new number goes there)
                own = (loc.own[0], max(loc.own[1], loc.own[0] + 1)) if block.kind == "list_item" else loc.own
                spans = [own, *loc.text] + ([loc.caption] if loc.caption else [])
                ranges.append((min(s for s, _ in spans), max(e for _, e in spans)))
    for section, title in (("about", new.about_title), ("attachments", new.attachments_title)):
        head = doc.body.heads.get(section)
        if head is not None and head.block.text != title:
            ranges.append(head.own)
    assert doc.front is not None
    for key in PATCHED_KEYS:
        if _value(old.meta, key) != _value(new.meta, key):
            if key in doc.front.keys:
                first, last = doc.front.keys[key]
                ranges.append((first, last + 1))
            else:  # an added key goes inside the front matter
                ranges.append((1, doc.front.close))
    return sorted(ranges)


def assert_untouched(old_lines: list[str], new_lines: list[str], ranges: list[tuple[int, int]]) -> None:
    """Every run of old lines between changed ranges appears, in order, byte for byte."""
    runs: list[list[str]] = []
    position = 0
    for start, end in ranges:
        runs.append(old_lines[position:start])
        position = max(position, end)
    runs.append(old_lines[position:])
    assert new_lines[: len(runs[0])] == runs[0], "the start of the file changed"
    if len(runs) > 1:
        tail = runs[-1]
        assert not tail or new_lines[len(new_lines) - len(tail) :] == tail, "the end of the file changed"
    cursor = len(runs[0])
    for run in runs[1:-1]:
        if not run:
            continue
        found = next(
            (k for k in range(cursor, len(new_lines) - len(run) + 1) if new_lines[k : k + len(run)] == run),
            None,
        )
        assert found is not None, f"unchanged lines {run!r} were rewritten"
        cursor = found + len(run)


def an_item_became_or_stopped_being_empty(old: Release, new: Release) -> bool:
    """The one change a patch may answer by writing the body afresh.

    CommonMark decides what the lines under a list item are by whether the item has
    text: under ``-`` alone, a blank line and an indented paragraph are not the item's
    (they belong to the item or paragraph further out), under ``- text`` they are; under
    ``2. text`` a line ``7. x`` is more text, under ``2.`` it is a nested list. So when an
    item gets its first text or loses all of it, keeping every other line byte for byte
    can be impossible (the lines around would change their meaning), and the patcher
    writes the body again. Every other change of texts is a minimal patch.
    """
    return any(
        a.kind == "list_item" and not (a.text and b.text)
        for section in ("body", "about", "attachments")
        for a, b in zip(getattr(old, section), getattr(new, section), strict=True)
        if replace(a, line=0) != replace(b, line=0)
    )


@SETTINGS
@given(text=release_file())
def test_dump_reads_back_as_the_release(text: str) -> None:
    release = read(text)
    dumped = dump_markdown(release)
    assert same_release(read(dumped), release), dumped


@SETTINGS
@given(data=st.data(), text=release_file())
def test_patch_rewrites_only_changed_blocks(data: st.DataObject, text: str) -> None:
    old = read(text)
    new = data.draw(changed_texts(old))
    patched, minimal = patch_markdown_verbose(text, old, new)
    assert same_release(read(patched), new), patched
    if not minimal:
        assert an_item_became_or_stopped_being_empty(old, new)
        return
    assert_untouched(text.split("\n"), patched.split("\n"), changed_ranges(text, old, new))


@SETTINGS
@given(data=st.data(), text=release_file())
def test_patch_inserts_deletes_and_moves_blocks(data: st.DataObject, text: str) -> None:
    old = read(text)
    new = data.draw(changed_structure(old))
    patched, _ = patch_markdown_verbose(text, old, new)
    assert same_release(read(patched), new), patched


@SETTINGS
@given(data=st.data(), text=release_file())
def test_a_paragraph_added_or_dropped_leaves_every_other_block_alone(data: st.DataObject, text: str) -> None:
    old = read(text)
    contents = [replace(b, line=0) for b in old.body]
    assume(len(set(contents)) == len(contents))  # with twin blocks, which one was kept is ambiguous
    # nothing fits between an empty item and the block on its marker line ("- - x"),
    # nor right after a quote or table that sits inside a list item
    body = read_document(text, "r.md").body.sections["body"]
    assume(
        not any(loc.own[0] == loc.own[1] or (loc.in_item and loc.block.kind != "list_item") for loc in body)
    )
    new, kept = data.draw(top_level_changes(old))
    patched, minimal = patch_markdown_verbose(text, old, new)
    assert same_release(read(patched), new), patched
    assert minimal
    lines = text.split("\n")
    out = patched.split("\n")
    cursor = 0
    for index in kept:
        loc = read_document(text, "r.md").body.sections["body"][index]
        start, end = loc.own
        if loc.caption is not None:
            start, end = min(start, loc.caption[0]), max(end, loc.caption[1])
        own = lines[start:end]
        while own and not own[-1].strip():
            own.pop()
        found = next(
            (k for k in range(cursor, len(out) - len(own) + 1) if out[k : k + len(own)] == own), None
        )
        assert found is not None, f"kept block {own!r} was rewritten"
        cursor = found + len(own)


@SETTINGS
@given(data=st.data(), text=release_file(), bom=st.booleans())
def test_crlf_and_bom_survive_a_patch(data: st.DataObject, text: str, bom: bool) -> None:
    raw = ("\ufeff" if bom else "").encode() + text.replace("\n", "\r\n").encode("utf-8")
    as_read = raw.decode("utf-8-sig").replace("\r\n", "\n")
    old = read(as_read)
    new = data.draw(changed_texts(old))
    patched, minimal = patch_markdown_verbose(as_read, old, new)
    out = encode_like(patched, raw)
    assert out.startswith(b"\xef\xbb\xbf") == bom
    assert b"\n" not in out.replace(b"\r\n", b"")  # every line ends in CRLF
    if not minimal:
        assert an_item_became_or_stopped_being_empty(old, new)
        return
    old_lines = raw.removeprefix(b"\xef\xbb\xbf").split(b"\r\n")
    new_lines = out.removeprefix(b"\xef\xbb\xbf").split(b"\r\n")
    ranges = changed_ranges(as_read, old, new)
    assert_untouched(
        [ln.decode() for ln in old_lines], [ln.decode() for ln in new_lines], ranges
    )  # byte-identical once split


@SETTINGS
@given(blocks=st.lists(inserted_block(), min_size=1, max_size=8), lang=st.sampled_from(["en", "ko"]))
def test_any_release_of_every_block_kind_dumps_and_reads_back(blocks: list[object], lang: str) -> None:
    release = Release(meta=Meta(title="T", lang="ko" if lang == "ko" else "en"), body=valid(blocks))  # type: ignore[arg-type]
    dumped = dump_markdown(release)
    assert same_release(read(dumped), release), dumped
