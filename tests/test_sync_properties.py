"""Property test of the sync itself: random human and source edits, thousands of them cheaply.

The engine is a fake that writes ``MT(<source sentence>)``, so presspack's text
is recognisable; a translator's sentences carry unique ``H<n>`` markers. After
every sync:

* every marker in the file before the sync is in the file after it, or quoted
  in a finding (``review accept`` is the one step allowed to replace it);
* no sentence appears twice;
* machine text always translates the current source (nothing stale);
* every source sentence belongs to exactly one memory segment;
* a second sync changes nothing (file and memory).

The same loop runs through the CLI with a copy model in ``test_sync_loop.py``.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import replace

from hypothesis import HealthCheck, example, given, note, settings
from hypothesis import strategies as st

from toolkit.core.document import Block, Meta, Release
from toolkit.mt.enforce import TranslateFn
from toolkit.translation.memory import Memory, segments_of
from toolkit.translation.sync import SyncResult, sync_translation

TITLE = "제목이다"


def machine() -> TranslateFn:
    def run(batch: list[str], n: int) -> list[list[str]]:
        return [[f"MT({s})"] * n for s in batch]

    return run


def release(lang: str, paragraphs: list[list[str]], title: str) -> Release:
    return Release(
        meta=Meta(title=title, lang="ko" if lang == "ko" else "en"),
        body=tuple(Block(kind="paragraph", text=" ".join(p)) for p in paragraphs if p),
        source_path=f"release.{lang}.md",
    )


HUMAN_OPS = ["h_edit", "h_add", "h_del", "h_swap", "h_split", "h_merge", "h_ssplit", "h_smerge", "h_title"]
SOURCE_OPS = ["s_edit", "s_add", "s_del", "s_padd", "s_pdel", "s_swap", "s_split", "s_merge", "s_title"]
OPS = st.lists(
    st.tuples(
        st.sampled_from([*HUMAN_OPS, *SOURCE_OPS, "accept", "keep"]), st.integers(0, 99), st.integers(0, 99)
    ),
    min_size=1,
    max_size=20,
)


def human_edit(op: str, fp: list[list[str]], a: int, b: int, fresh: str) -> None:
    if op == "h_edit" and fp:
        p = fp[a % len(fp)]
        p[b % len(p)] = f"{fresh} edit."
    elif op == "h_add":
        fp.insert(a % (len(fp) + 1), [f"{fresh} added."])
    elif op == "h_del" and fp:
        del fp[a % len(fp)]
    elif op == "h_swap" and len(fp) > 1:
        i, j = a % len(fp), b % len(fp)
        fp[i], fp[j] = fp[j], fp[i]
    elif op == "h_split" and fp:
        i = a % len(fp)
        p = fp[i]
        if len(p) > 1:
            k = 1 + b % (len(p) - 1)
            fp[i : i + 1] = [p[:k], p[k:]]
    elif op == "h_merge" and len(fp) > 1:
        i = a % (len(fp) - 1)
        fp[i : i + 2] = [fp[i] + fp[i + 1]]
    elif op == "h_ssplit" and fp:  # one sentence becomes two
        p = fp[a % len(fp)]
        k = b % len(p)
        p[k : k + 1] = [f"{fresh} one.", f"{fresh}b two."]
    elif op == "h_smerge" and fp:  # two sentences become one
        p = fp[a % len(fp)]
        if len(p) > 1:
            k = b % (len(p) - 1)
            p[k : k + 2] = [f"{fresh} merged."]


def source_edit(op: str, src: list[list[str]], a: int, b: int, fresh: str) -> None:
    if op == "s_edit" and src:
        p = src[a % len(src)]
        p[b % len(p)] = f"가{fresh} 고침."
    elif op == "s_add" and src:
        p = src[a % len(src)]
        p.insert(b % (len(p) + 1), f"가{fresh} 추가.")
    elif op == "s_del" and src:
        i = a % len(src)
        del src[i][b % len(src[i])]
        if not src[i]:
            del src[i]
    elif op == "s_padd":
        src.insert(a % (len(src) + 1), [f"가{fresh} 새문단."])
    elif op == "s_pdel" and len(src) > 1:
        del src[a % len(src)]
    elif op == "s_swap" and len(src) > 1:
        i, j = a % len(src), b % len(src)
        src[i], src[j] = src[j], src[i]
    elif op == "s_split" and src:
        i = a % len(src)
        p = src[i]
        if len(p) > 1:
            k = 1 + b % (len(p) - 1)
            src[i : i + 1] = [p[:k], p[k:]]
    elif op == "s_merge" and len(src) > 1:
        i = a % (len(src) - 1)
        src[i : i + 2] = [src[i] + src[i + 1]]


def check(result: SyncResult, before: Release, src: list[list[str]], title: str, op: str) -> Memory:
    assert not result.blocked, result.findings
    after = " ".join([result.release.meta.title] + [b.text for b in result.release.body])
    quoted = " ".join(f.message + " " + " ".join(f.extra.values()) for f in result.findings)
    if op != "accept":
        for marker in set(
            re.findall(r"H\d+b?\b", " ".join([before.meta.title] + [b.text for b in before.body]))
        ):
            assert re.search(rf"\b{marker}\b", after) or re.search(rf"\b{marker}\b", quoted), marker
    sentences = [s for b in result.release.body for s in segments_of(b.text, "en")]
    assert len(sentences) == len(set(sentences)), sentences
    memory = Memory.from_json(result.memory.to_json())
    current = {s for p in src for s in p} | {title}
    for seg in memory.segments():
        if seg.origin == "machine" and seg.tgt:
            parts = segments_of(seg.src, "ko")
            assert seg.tgt == " ".join(f"MT({x})" for x in parts), seg
            assert all(x in current for x in parts), seg
    covered = [x for seg in memory.segments() for x in segments_of(seg.src, "ko")]
    assert sorted(covered) == sorted(current), (covered, current)
    return memory


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(ops=OPS, paragraphs=st.integers(1, 5))
# found by CI: accepted machine text for two sentences, split into two paragraphs by the
# translator, then the source changed: the second paragraph was taken for added text and
# stayed beside the new translation of both sentences
@example(
    ops=[
        ("h_edit", 0, 0),
        ("h_edit", 0, 1),
        ("s_edit", 0, 0),
        ("accept", 0, 0),
        ("h_split", 0, 0),
        ("s_edit", 0, 0),
        ("accept", 0, 0),
    ],
    paragraphs=1,
)
# found by a deep run: new source text before a translation continued across two paragraphs
# went between its parts, and the next sync took the parts for two texts
@example(ops=[("h_ssplit", 0, 0), ("s_edit", 0, 0), ("h_split", 0, 0), ("s_add", 0, 0)], paragraphs=1)
# found by a deep run: the translator put a paragraph first; the author then merged two source
# paragraphs, and the second's translation was moved before the one the translator put first
@example(
    ops=[("h_ssplit", 0, 0), ("s_pdel", 1, 0), ("h_swap", 0, 2), ("h_split", 2, 0), ("s_merge", 0, 0)],
    paragraphs=4,
)
# found by a deep run: the translator merged two paragraphs and added one; the paragraph left
# over was paired with the added one as "rewritten" although its sentence stood in the merged one
@example(
    ops=[
        ("h_merge", 0, 0),
        ("h_ssplit", 1, 0),
        ("s_edit", 0, 0),
        ("h_split", 1, 0),
        ("s_edit", 0, 0),
        ("h_edit", 0, 0),
        ("h_merge", 0, 0),
        ("h_add", 1, 0),
        ("s_edit", 0, 0),
    ],
    paragraphs=3,
)
def test_random_edits_on_both_sides_never_lose_or_double_anything(
    ops: list[tuple[str, int, int]], paragraphs: int
) -> None:
    counter = itertools.count()
    src = [[f"가{next(counter)} 문장." for _ in range(2)] for _ in range(paragraphs)]
    title = TITLE
    res = sync_translation(release("ko", src, title), None, None, "en", matcher=None, translate=machine)
    memory = Memory.from_json(res.memory.to_json())
    current = res.release
    for op, a, b in ops:
        fresh = f"H{next(counter)}"
        if op in HUMAN_OPS:
            fp = [segments_of(blk.text, "en") for blk in current.body]
            if op == "h_title":
                current = replace(current, meta=replace(current.meta, title=f"{fresh} title."))
                continue
            human_edit(op, fp, a, b, fresh)
            current = replace(current, body=tuple(Block(kind="paragraph", text=" ".join(p)) for p in fp if p))
            continue
        if op == "s_title":
            title = f"가{fresh[1:]} 제목."
        else:
            source_edit(op, src, a, b, fresh[1:])
        resolve = set(range(200)) if op in ("accept", "keep") else set()
        res = sync_translation(
            release("ko", src, title),
            current,
            memory,
            "en",
            matcher=None,
            translate=machine,
            accept=resolve if op == "accept" else (),
            keep=resolve if op == "keep" else (),
        )
        note(f"{op}: source {src}")
        note(f"  file before {[x.text for x in current.body]}")
        note(f"  file after  {[x.text for x in res.release.body]}")
        memory = check(res, current, src, title, op)
        again = sync_translation(
            release("ko", src, title), res.release, memory, "en", matcher=None, translate=machine
        )
        assert again.release == res.release
        assert again.memory == memory
        current = res.release


# long, unrelated sentences: their character pairs tell them apart (toolkit.translation.align.related)
UNRELATED = [
    "폴란드 대표단도 이날 오후 전시장을 찾았다.",
    "참석자들은 부스를 돌며 기업 관계자들과 의견을 나눴다.",
    "행사장 입구에는 안내 데스크가 설치됐다.",
    "올해 수출액은 지난해보다 두 배 가까이 늘었다.",
    "해군은 잠수함 승조원 수당을 인상하기로 했다.",
    "비가 내리는 가운데 시민 수백 명이 광장에 모였다.",
    "협약에 따라 양측은 인력 교류를 정례화한다.",
    "다음 포럼은 내년 봄 부산에서 열릴 예정이다.",
    "연구진은 새 배터리의 수명을 세 배로 늘렸다.",
]


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    paragraphs=st.integers(2, 5),
    edits=st.lists(
        st.tuples(st.sampled_from(HUMAN_OPS[:-1]), st.integers(0, 99), st.integers(0, 99)), max_size=3
    ),
    gone=st.integers(0, 99),
    at=st.integers(0, 99),
)
def test_deleting_one_paragraph_and_adding_another_is_the_two_edits_one_after_the_other(
    paragraphs: int, edits: list[tuple[str, int, int]], gone: int, at: int
) -> None:
    from toolkit.translation.align import related

    assert all(related(a, b) is False for a in UNRELATED for b in UNRELATED if a != b)
    src = [[s] for s in UNRELATED[:paragraphs]]
    res = sync_translation(release("ko", src, TITLE), None, None, "en", matcher=None, translate=machine)
    current = res.release
    for n, (op, a, b) in enumerate(edits):  # the translator's work, before the author's edit
        fp = [segments_of(blk.text, "en") for blk in current.body]
        human_edit(op, fp, a, b, f"H{n}")
        current = replace(current, body=tuple(Block(kind="paragraph", text=" ".join(p)) for p in fp if p))
    memory = Memory.from_json(res.memory.to_json())
    res = sync_translation(release("ko", src, TITLE), current, memory, "en", matcher=None, translate=machine)
    current, memory = res.release, Memory.from_json(res.memory.to_json())
    deleted = [p for k, p in enumerate(src) if k != gone % len(src)]
    added = list(deleted)
    added.insert(at % (len(deleted) + 1), [UNRELATED[-1]])

    def sync(paras: list[list[str]], file: Release, mem: Memory) -> SyncResult:
        return sync_translation(release("ko", paras, TITLE), file, mem, "en", matcher=None, translate=machine)

    note(f"source {src} -> {added}; file {[x.text for x in current.body]}")
    both = sync(added, current, memory)
    first = sync(deleted, current, memory)
    then = sync(added, first.release, Memory.from_json(first.memory.to_json()))
    assert [x.text for x in both.release.body] == [x.text for x in then.release.body]
    assert both.memory == then.memory
    assert [f.message for f in both.findings] == [f.message for f in then.findings]


def test_a_translation_split_into_paragraphs_is_one_text_when_its_source_changes() -> None:
    """A translator's text for two sentences, split into two paragraphs: a source change flags
    all of it for review, and accepting the suggestion replaces all of it (the second paragraph
    is not taken for text the translator added, which stayed beside the new translation)."""
    src = [["가0 문장.", "가1 문장."]]

    def sync(file: Release, mem: Memory, **resolve: set[int]) -> tuple[Release, Memory, SyncResult]:
        res = sync_translation(
            release("ko", src, TITLE), file, mem, "en", matcher=None, translate=machine, **resolve
        )
        return res.release, Memory.from_json(res.memory.to_json()), res

    first = sync_translation(release("ko", src, TITLE), None, None, "en", matcher=None, translate=machine)
    file, memory = first.release, Memory.from_json(first.memory.to_json())
    src[0][0] = "가2 문장."  # one translation of both sentences: a change under it, kept
    file, memory, _ = sync(replace(file, body=(Block(kind="paragraph", text="H1 one. H2 two."),)), memory)
    file, memory, _ = sync(file, memory, keep={0, 1, 2})
    assert [b.text for b in file.body] == ["H1 one. H2 two."]
    split = replace(
        file, body=(Block(kind="paragraph", text="H1 one."), Block(kind="paragraph", text="H2 two."))
    )
    src[0][0] = "가3 문장."
    file, memory, res = sync(split, memory)
    assert [b.text for b in file.body] == ["H1 one.", "H2 two."]
    (review,) = [f for f in res.findings if "source changed" in f.message]
    assert "H1 one." in review.message and "H2 two." in review.message
    file, memory, _ = sync(file, memory, accept={0, 1, 2})
    assert [b.text for b in file.body] == ["MT(가3 문장.) MT(가1 문장.)"]


def test_splitting_a_paragraph_under_review_leaves_the_review_pending() -> None:
    """A pending review asks the translator to look at a source change; splitting the text into
    two paragraphs with its very words is not that look (it resolved the review, silently)."""
    src = [["가0 문장."]]  # one sentence, translated by the person in two

    def sync(file: Release, mem: Memory) -> tuple[Release, Memory, SyncResult]:
        res = sync_translation(release("ko", src, TITLE), file, mem, "en", matcher=None, translate=machine)
        return res.release, Memory.from_json(res.memory.to_json()), res

    first = sync_translation(release("ko", src, TITLE), None, None, "en", matcher=None, translate=machine)
    file, memory = first.release, Memory.from_json(first.memory.to_json())
    file, memory, _ = sync(replace(file, body=(Block(kind="paragraph", text="H1 one. H2 two."),)), memory)
    src[0][0] = "가2 문장."
    file, memory, res = sync(file, memory)
    assert len([f for f in res.findings if f.check == "tm-review"]) == 1
    split = replace(
        file, body=(Block(kind="paragraph", text="H1 one."), Block(kind="paragraph", text="H2 two."))
    )
    file, memory, res = sync(split, memory)
    assert [b.text for b in file.body] == ["H1 one.", "H2 two."]
    (review,) = [f for f in res.findings if f.check == "tm-review"]
    assert "H1 one." in review.message and "H2 two." in review.message
    # an edit of its words is the translator's answer: the review is resolved
    edited = replace(
        file, body=(Block(kind="paragraph", text="H1 one."), Block(kind="paragraph", text="H3 three."))
    )
    file, memory, res = sync(edited, memory)
    assert [f for f in res.findings if f.check == "tm-review"] == []
