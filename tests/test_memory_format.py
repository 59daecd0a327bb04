"""The translation memory file: format 2 round trips, format 1 still reads, bad files are refused."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.translation.memory import ORIGINS, STATES, Memory, MemoryFileError, SegmentMemory, UnitMemory

TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=30)
SEGMENTS = st.builds(
    SegmentMemory,
    src=TEXT,
    tgt=TEXT,
    mt=TEXT,
    origin=st.sampled_from(ORIGINS),
    state=st.sampled_from(STATES),
    was=TEXT,
    terms=st.lists(st.tuples(TEXT, TEXT), max_size=3).map(tuple),
)
MEMORIES = st.builds(
    Memory,
    source_lang=st.sampled_from(["ko", "en"]),
    target_lang=st.sampled_from(["ko", "en"]),
    source_file=TEXT,
    units=st.lists(
        st.builds(
            UnitMemory,
            id=st.sampled_from(["title", "body:paragraph:0", "contact"]),
            segments=st.lists(SEGMENTS, max_size=3).map(tuple),
        ),
        max_size=4,
    ).map(tuple),
    model=TEXT,
)


@settings(max_examples=200, deadline=None)
@given(memory=MEMORIES)
def test_format_2_round_trips_and_is_deterministic(memory: Memory) -> None:
    text = memory.to_json()
    back = Memory.from_json(text)
    assert back == memory
    assert back.to_json() == text
    assert json.loads(text)["format"] == 2


def test_fields_left_out_only_when_they_say_nothing() -> None:
    machine = SegmentMemory("원문이다.", "The text.", mt="The text.", origin="machine")
    edited = SegmentMemory("원문이다.", "My text.", mt="The text.", origin="human")
    review = SegmentMemory(
        "새 원문이다.", "My text.", mt="New text.", origin="human", state="needs-review", was="원문이다."
    )
    data = json.loads(
        Memory("ko", "en", "release.ko.md", (UnitMemory("title", (machine, edited, review)),)).to_json()
    )
    assert data["units"][0]["segments"] == [
        {"src": "원문이다.", "tgt": "The text.", "origin": "machine"},
        {"src": "원문이다.", "tgt": "My text.", "mt": "The text.", "origin": "human"},
        {
            "src": "새 원문이다.",
            "tgt": "My text.",
            "mt": "New text.",
            "origin": "human",
            "state": "needs-review",
            "was": "원문이다.",
        },
    ]


def test_format_1_reads_with_its_meaning() -> None:
    old = {
        "format": 1,
        "source_lang": "ko",
        "target_lang": "en",
        "units": [
            {"id": "body:bullet:0", "segments": [{"src": "가.", "tgt": "MT가.", "mt": "MT가."}]},
            {"id": "body:paragraph:0", "segments": [{"src": "나.", "tgt": "Edited.", "mt": "MT나."}]},
            {"id": "title", "segments": [{"src": "다.", "tgt": "Adopted."}]},
            {"id": "body:paragraph:0", "review": True, "segments": [{"src": "라. 마.", "tgt": "Whole."}]},
        ],
    }
    memory = Memory.from_json(json.dumps(old))
    assert [u.id for u in memory.units] == [
        "body:list_item:0",
        "body:paragraph:0",
        "title",
        "body:paragraph:0",
    ]
    assert [(s.origin, s.state, s.mt) for s in memory.segments()] == [
        ("machine", "translated", "MT가."),
        ("human", "translated", ""),
        ("human", "translated", ""),
        ("human", "needs-review", ""),
    ]


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("{not json", "not valid JSON"),
        ("[]", "the top level must be a JSON object"),
        ('{"format": 2, "source_lang": "ko", "target_lang": "en"}', "'units' must be a list"),
        ('{"format": "2", "units": []}', "unknown format '2'"),
        (
            '{"format": 2, "source_lang": "ko", "target_lang": "en", "units": [{"id": "title", "segments": '
            '[{"src": "a", "tgt": 3}]}]}',
            "unit 1 segment 1 'tgt' must be a string",
        ),
        (
            '{"format": 2, "source_lang": "ko", "target_lang": "en", "units": [{"id": "title", "segments": '
            '[{"src": "a", "tgt": "b", "origin": "robot"}]}]}',
            "unit 1 segment 1 'origin' must be one of machine, human",
        ),
    ],
)
def test_bad_files_are_refused_with_the_reason(text: str, why: str) -> None:
    with pytest.raises(MemoryFileError) as info:
        Memory.from_json(text, path=Path("r/release.en.tm.json"))
    (p,) = info.value.problems
    assert p.file == "r/release.en.tm.json"
    assert p.what.startswith(f"unreadable translation memory: {why}")
    assert p.fix.startswith("restore it from version control")
