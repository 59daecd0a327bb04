"""Alignment by content: where did each remembered segment go, and what is new?

Two questions decide every sync, and both are answered here by content, never
by position:

* **source**: the segments' old source text ↔ the new source (what the author
  changed);
* **target**: the text presspack last wrote ↔ the translation file now (what
  the translator changed).

:func:`map_segments` answers both with one word-level diff over a whole section
(paragraphs separated by a paragraph-break token), so sentence edits, split,
merged, added and removed paragraphs come out of the same computation.
Moved paragraphs are found first (identical text, or clearly the same text, at
another position) and the old side is reordered to match, so a swap is seen as
a swap instead of a deletion plus an insertion. A segment boundary that falls
inside changed text cannot be placed: the segments on both sides become one
group (an n:m alignment) rather than guessing.

:func:`align_sentences` pairs sentences *across languages* when a hand-written
translation is adopted: a Gale–Church-like dynamic programme on length ratios,
with numbers and glossary terms as anchors; it answers ``None`` when the
pairing is not clear, and the caller keeps the paragraph as one unit.
"""

from __future__ import annotations

import difflib
import math
import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

__all__ = [
    "Group",
    "Mapping",
    "Span",
    "align_sentences",
    "longest_increasing",
    "map_segments",
    "normalized",
    "related",
    "similarity",
]

_TOKEN = re.compile(r"\S+")
_PARA = "\x00¶"  # paragraph break: never a word of real text
MOVE_SIMILARITY = 0.7  # a paragraph found elsewhere counts as moved above this word similarity
RELATED_PAIRS = 0.3  # texts sharing fewer character pairs than this (Dice) are different texts
RELATED_MIN_CHARS = 10  # letters and digits a text needs before its character pairs say anything

Related = Callable[[str, str], "bool | None"]  # same text edited / different texts / cannot tell (None)


def _tokens(text: str) -> list[tuple[str, int, int]]:
    return [(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text)]


def _words(segment: str) -> list[str]:
    """Words of an old segment; a blank line in it (text continued in the next paragraph) is a break."""
    words: list[str] = []
    for part in segment.split("\n\n"):
        found = [w for w, _, _ in _tokens(part)]
        if found and words:
            words.append(_PARA)
        words.extend(found)
    return words


def normalized(text: str) -> str:
    """Text compared by words: whitespace differences never count as an edit."""
    return " ".join(text.split())


def similarity(a: str, b: str) -> float:
    """Word-level similarity in [0, 1] (difflib ratio on words)."""
    wa, wb = a.split(), b.split()
    if not wa and not wb:
        return 1.0
    matcher = difflib.SequenceMatcher(a=wa, b=wb, autojunk=False)
    if matcher.real_quick_ratio() < MOVE_SIMILARITY or matcher.quick_ratio() < MOVE_SIMILARITY:
        return matcher.quick_ratio() * 0.99
    return matcher.ratio()


def _pairs(text: str) -> Counter[str]:
    letters = "".join(ch for ch in text.casefold() if ch.isalnum())
    return Counter(letters[i : i + 2] for i in range(len(letters) - 1))


def related(a: str, b: str) -> bool | None:
    """Is ``b`` the text ``a`` edited, or another text? None when they are too short to tell.

    Compared by character pairs of letters and digits (Dice coefficient), not by
    words: a Korean word carries its particles (창원특례시는 / 창원특례시가), so an
    edited Korean sentence shares few words but most of its character pairs;
    numbers and names count like any other letters. Different paragraphs of
    one release share at most about a quarter of their pairs (topic words,
    verb endings); an edit keeps well over a third.
    """
    pa, pb = _pairs(a), _pairs(b)
    if min(sum(pa.values()), sum(pb.values())) < RELATED_MIN_CHARS - 1:
        return None
    shared = sum((pa & pb).values())
    return 2 * shared / (sum(pa.values()) + sum(pb.values())) >= RELATED_PAIRS


@dataclass(frozen=True)
class Span:
    """A piece of new text: ``texts[unit][start:end]``."""

    unit: int
    start: int
    end: int


@dataclass(frozen=True)
class Group:
    """Old segments (flat indices) and where their text is now.

    Usually one segment; several when a boundary between them could not be
    placed in the new text. ``spans`` is empty when the text is gone, holds
    more than one span when it now crosses a paragraph break.
    """

    members: tuple[int, ...]
    spans: tuple[Span, ...]
    exact: bool  # word-for-word the old text


@dataclass(frozen=True)
class Mapping:
    groups: tuple[Group, ...]  # in old order
    extra: tuple[Span, ...]  # new text that no old segment accounts for, in new order

    def group_of(self) -> dict[int, Group]:
        return {m: g for g in self.groups for m in g.members}


def longest_increasing(values: Sequence[int]) -> set[int]:
    """Indices of one longest strictly increasing subsequence (deterministic)."""
    tails: list[int] = []
    tail_idx: list[int] = []
    prev = [-1] * len(values)
    for i, v in enumerate(values):
        k = bisect_left(tails, v)
        if k == len(tails):
            tails.append(v)
            tail_idx.append(i)
        else:
            tails[k] = v
            tail_idx[k] = i
        prev[i] = tail_idx[k - 1] if k else -1
    keep: set[int] = set()
    i = tail_idx[-1] if tail_idx else -1
    while i >= 0:
        keep.add(i)
        i = prev[i]
    return keep


def _old_order(
    old_texts: Sequence[str], new_texts: Sequence[str], relation: Related | None = None
) -> list[int]:
    """The old units in the order the new side has them (moved units put where they went).

    With ``relation``, the one paragraph left on each side is taken for the same one,
    rewritten, only when the relation says so (a deleted and an unrelated added
    paragraph are not a move); without it (text across languages), always.
    """
    old_norm = [normalized(t) for t in old_texts]
    new_norm = [normalized(t) for t in new_texts]
    old_count = Counter(t for t in old_norm if t)
    new_count = Counter(t for t in new_norm if t)
    new_at = {t: j for j, t in enumerate(new_norm) if t and new_count[t] == 1}
    pairs: dict[int, int] = {}
    for i, t in enumerate(old_norm):
        if t and old_count[t] == 1 and t in new_at:
            pairs[i] = new_at[t]

    # the same paragraph, edited: it still holds an unchanged sentence found nowhere else
    def sentence_keys(text: str) -> list[str]:
        words = text.split()
        return [" ".join(words[a:b]) for a, b in _sentences(words)]

    old_sents = [sentence_keys(t) for t in old_norm]
    new_sents = [sentence_keys(t) for t in new_norm]
    old_sc = Counter(k for ks in old_sents for k in ks)
    new_sc = Counter(k for ks in new_sents for k in ks)
    where_new = {k: j for j, ks in enumerate(new_sents) for k in ks if new_sc[k] == 1}
    shared: dict[int, Counter[int]] = {}
    for i, ks in enumerate(old_sents):
        if i in pairs:
            continue
        for k in ks:
            j = where_new.get(k)
            if old_sc[k] == 1 and j is not None and j not in pairs.values():
                shared.setdefault(i, Counter())[j] += 1
    best_for_new: dict[int, tuple[int, int]] = {}
    for i, counts in shared.items():
        for j, c in counts.items():
            if c > best_for_new.get(j, (0, -1))[0]:
                best_for_new[j] = (c, i)
    for i, counts in sorted(shared.items()):
        j, c = max(counts.items(), key=lambda jc: (jc[1], -jc[0]))
        if best_for_new[j][1] == i and j not in pairs.values():
            pairs[i] = j
    # clearly the same paragraph, edited: only these may count as moved too
    free_old = [i for i, t in enumerate(old_norm) if t and i not in pairs]
    taken = set(pairs.values())
    free_new = [j for j, t in enumerate(new_norm) if t and j not in taken]
    if free_old and free_new and len(free_old) * len(free_new) <= 2500:
        # each other's best match, and nobody else's as good: text the old or the new side holds
        # twice (a list item and a table cell) is as like one copy as the other, so it says nothing
        best_new: dict[int, tuple[float, list[int]]] = {}
        best_old: dict[int, tuple[float, list[int]]] = {}
        for i in free_old:
            for j in free_new:
                score = similarity(old_norm[i], new_norm[j])
                if score >= MOVE_SIMILARITY:
                    for best, key, other in ((best_new, i, j), (best_old, j, i)):
                        top, who = best.get(key, (0.0, []))
                        if score > top:
                            best[key] = (score, [other])
                        elif score == top:
                            who.append(other)
        for i, (_, js) in best_new.items():
            if len(js) == 1 and best_old[js[0]][1] == [i]:
                pairs[i] = js[0]
    free_old = [i for i, t in enumerate(old_norm) if t and i not in pairs]
    free_new = [j for j, t in enumerate(new_norm) if t and j not in set(pairs.values())]
    if (
        len(free_old) == 1
        and len(free_new) == 1
        and pairs
        # not when a sentence of it is unchanged in another paragraph: it was merged into that
        # one (which another old paragraph holds more of), and the new one is added text
        and set(shared.get(free_old[0], ())) <= {free_new[0]}
        and (relation is None or relation(old_norm[free_old[0]], new_norm[free_new[0]]))
    ):
        pairs[free_old[0]] = free_new[0]  # the one paragraph left on each side: the same one, rewritten
    if not pairs:
        return list(range(len(old_texts)))
    paired = sorted(pairs)
    in_order = {paired[k] for k in longest_increasing([pairs[i] for i in paired])}
    if len(in_order) == len(paired):
        return list(range(len(old_texts)))
    # key: paired units go to their new place; the others follow their old predecessor
    keys: list[tuple[float, int]] = []
    last = -1.0
    for i in range(len(old_texts)):
        if i in pairs:
            last = float(pairs[i])
            keys.append((last, 0))
        else:
            keys.append((last + 0.5, i))
    return sorted(range(len(old_texts)), key=lambda i: (keys[i], i))


def map_segments(
    old_units: Sequence[Sequence[str]], new_texts: Sequence[str], relation: Related | None = None
) -> Mapping:
    """Find the text of every old segment in ``new_texts`` (see the module docstring).

    ``relation`` (see :func:`related`) says whether two texts of the same language
    are one text edited; given it, whole paragraphs that took another's place are
    paired only when it does not answer False, and a moved paragraph that changed
    only when it answers True: otherwise the old one was deleted and the new one
    added. Without it (the old and new texts need not be in one language) changed
    paragraphs are paired by position.

    ``old_units`` are paragraphs given as their segments (empty strings are
    segments with no text: they get no group; a blank line inside a segment
    means its text continues in the next paragraph); flat segment indices
    count every segment of every unit in order, empty ones included. A group
    is exact when its words *and* paragraph breaks are unchanged.
    """
    flat_start: list[int] = []
    n = 0
    for unit in old_units:
        flat_start.append(n)
        n += len(unit)

    def old_stream(order: Sequence[int]) -> tuple[list[str], dict[int, tuple[int, int]]]:
        tokens: list[str] = []
        ranges: dict[int, tuple[int, int]] = {}
        for u in order:
            unit = old_units[u]
            if not any(_TOKEN.search(s) for s in unit):
                continue
            if tokens:
                tokens.append(_PARA)
            for k, seg in enumerate(unit):
                words = _words(seg)
                if words:
                    ranges[flat_start[u] + k] = (len(tokens), len(tokens) + len(words))
                    tokens.extend(words)
        return tokens, ranges

    old_tokens, seg_range = old_stream(range(len(old_units)))
    new_tokens: list[str] = []
    new_pos: list[tuple[int, int, int]] = []  # (unit, start, end); unit -1 for a paragraph break
    for j, text in enumerate(new_texts):
        found = _tokens(text)
        if not found:
            continue
        if new_tokens:
            new_tokens.append(_PARA)
            new_pos.append((-1, 0, 0))
        for word, start, end in found:
            new_tokens.append(word)
            new_pos.append((j, start, end))

    if old_tokens == new_tokens:  # nothing changed (every sync of an untouched file)
        groups = tuple(Group((s,), _spans(new_pos, *seg_range[s]), True) for s in sorted(seg_range))
        return Mapping(groups, ())
    order = _old_order([" ".join(u) for u in old_units], new_texts, relation)
    if list(order) != list(range(len(old_units))):
        old_tokens, seg_range = old_stream(order)
    segs = sorted(seg_range, key=lambda s: seg_range[s][0])
    opcodes = _opcodes(old_tokens, new_tokens, relation)
    changed = [(a0, a1) for tag, a0, a1, _, _ in opcodes if tag in ("replace", "delete")]

    def crosses(end: int, start: int) -> bool:
        """A changed block holds words of both the segment ending at ``end`` and the one at ``start``."""
        return any(a0 < end and a1 > start for a0, a1 in changed)

    raw: list[list[int]] = []
    for s in segs:
        if raw and crosses(seg_range[raw[-1][-1]][1], seg_range[s][0]):
            raw[-1].append(s)
        else:
            raw.append([s])
    starts = [op[1] for op in opcodes]

    def left(a: int) -> int:
        for tag, a0, a1, b0, _ in opcodes[max(0, bisect_left(starts, a) - 1) :]:
            if a0 <= a < a1:
                return b0 + (a - a0) if tag == "equal" else b0
        return len(new_tokens)

    def right(b: int) -> int:
        for tag, a0, a1, b0, b1 in opcodes[max(0, bisect_left(starts, b) - 2) :]:
            if a0 < b <= a1:
                return b0 + (b - a0) if tag == "equal" else b1
        return len(new_tokens)

    ranges: list[tuple[list[int], int, int, bool]] = []  # (members, new start, new end, exact)
    for members in raw:
        oa, ob = seg_range[members[0]][0], seg_range[members[-1]][1]
        ns, ne = left(oa), right(ob)
        ne = max(ne, ns)
        ranges.append((members, ns, ne, old_tokens[oa:ob] == new_tokens[ns:ne]))
    ranges = _keep_to_own_paragraph(ranges, old_tokens, seg_range, new_tokens)
    ranges, extra_ranges = _relink_moved(ranges, old_tokens, seg_range, new_tokens)
    ranges, extra_ranges = _claim_neighbouring_text(ranges, extra_ranges, old_tokens, seg_range)
    groups_list: list[Group] = []
    for members, ns, ne, exact in ranges:
        if exact and len(members) > 1:
            # word for word the same: every member's words are where they were, one to one
            oa = seg_range[members[0]][0]
            for m in members:
                ma, mb = seg_range[m]
                groups_list.append(Group((m,), _spans(new_pos, ns + ma - oa, ns + mb - oa), True))
            continue
        groups_list.append(Group(tuple(members), _spans(new_pos, ns, ne), exact))
    extra = tuple(sp for xa, xb in extra_ranges for sp in _spans(new_pos, xa, xb))
    return Mapping(tuple(sorted(groups_list, key=lambda g: g.members)), extra)


_SENTENCE_END = re.compile(r"[.?!…。？！][\"'”’)\]」』»》]*$")


def _sentences(tokens: Sequence[str]) -> list[tuple[int, int]]:
    """Token ranges of rough sentences (a paragraph break is one of its own).

    Only used to anchor the diff on whole sentences that did not change, so it
    needs no language rules: the same rule runs on both sides.
    """
    ranges: list[tuple[int, int]] = []
    start = 0
    for i, tok in enumerate(tokens):
        if tok == _PARA:
            if start < i:
                ranges.append((start, i))
            ranges.append((i, i + 1))
            start = i + 1
        elif _SENTENCE_END.search(tok):
            ranges.append((start, i + 1))
            start = i + 1
    if start < len(tokens):
        ranges.append((start, len(tokens)))
    return ranges


def _whole_paragraphs(tokens: Sequence[str], a: int, b: int) -> tuple[int, int] | None:
    """``tokens[a:b]`` without paragraph breaks at its ends, when that is whole paragraphs."""
    while a < b and tokens[a] == _PARA:
        a += 1
    while b > a and tokens[b - 1] == _PARA:
        b -= 1
    if a == b or (a > 0 and tokens[a - 1] != _PARA) or (b < len(tokens) and tokens[b] != _PARA):
        return None
    return a, b


def _opcodes(
    old: Sequence[str], new: Sequence[str], relation: Related | None = None
) -> list[tuple[str, int, int, int, int]]:
    """Word-level opcodes, anchored on whole unchanged sentences first.

    A plain word diff matches frequent words ("the", "문장.") across sentence
    boundaries and smears an edit over its neighbours; diffing sentences first
    keeps every unchanged sentence an exact match, and words are compared only
    inside the runs of sentences that changed. With ``relation``, whole paragraphs
    that took the place of other whole paragraphs are compared only when they are
    not different texts: unrelated ones are a deletion and an insertion.
    """
    old_s, new_s = _sentences(old), _sentences(new)
    old_keys = [" ".join(old[a:b]) for a, b in old_s]
    new_keys = [" ".join(new[a:b]) for a, b in new_s]
    result: list[tuple[str, int, int, int, int]] = []

    def add(tag: str, a0: int, a1: int, b0: int, b1: int) -> None:
        if a0 == a1 and b0 == b1:
            return
        if result and result[-1][0] == tag:
            t, x0, _, y0, _ = result[-1]
            result[-1] = (t, x0, a1, y0, b1)
        else:
            result.append((tag, a0, a1, b0, b1))

    sm = difflib.SequenceMatcher(a=old_keys, b=new_keys, autojunk=False)
    for tag, i0, i1, j0, j1 in sm.get_opcodes():
        a0 = old_s[i0][0] if i0 < len(old_s) else len(old)
        a1 = old_s[i1 - 1][1] if i1 > i0 else a0
        b0 = new_s[j0][0] if j0 < len(new_s) else len(new)
        b1 = new_s[j1 - 1][1] if j1 > j0 else b0
        if tag == "equal":
            add("equal", a0, a1, b0, b1)
            continue
        if tag == "replace" and relation is not None:
            was, now = _whole_paragraphs(old, a0, a1), _whole_paragraphs(new, b0, b1)
            text = " ".join
            if was and now and relation(text(old[was[0] : was[1]]), text(new[now[0] : now[1]])) is False:
                add("delete", a0, a1, b0, b0)
                add("insert", a1, a1, b0, b1)
                continue
        inner = difflib.SequenceMatcher(a=old[a0:a1], b=new[b0:b1], autojunk=False).get_opcodes()
        for t, x0, x1, y0, y1 in inner:
            add(t, a0 + x0, a0 + x1, b0 + y0, b0 + y1)
    return result


def _keep_to_own_paragraph(
    ranges: list[tuple[list[int], int, int, bool]],
    old_tokens: Sequence[str],
    seg_range: dict[int, tuple[int, int]],
    new_tokens: Sequence[str],
) -> list[tuple[list[int], int, int, bool]]:
    """A changed text that had no paragraph break but now runs across one keeps only the
    paragraph its neighbours went to; the rest is a paragraph someone added next to it.
    Its very words with a paragraph break put in are the text split, and keep both parts
    (the part left out would count as added, and be there twice once the text is replaced)."""
    out = list(ranges)
    para_before = [0] * (len(new_tokens) + 1)  # paragraph number of each new token
    for k, tok in enumerate(new_tokens):
        para_before[k + 1] = para_before[k] + (tok == _PARA)

    def paragraphs(ns: int, ne: int) -> list[tuple[int, int]]:
        """The token range of each paragraph piece of [ns, ne)."""
        spans: list[tuple[int, int]] = []
        for k in range(ns, ne):
            if new_tokens[k] == _PARA:
                continue
            if spans and para_before[spans[-1][0]] == para_before[k]:
                spans[-1] = (spans[-1][0], k + 1)
            else:
                spans.append((k, k + 1))
        return spans

    old_para = [0] * (len(old_tokens) + 1)
    for k, tok in enumerate(old_tokens):
        old_para[k + 1] = old_para[k] + (tok == _PARA)

    def neighbour_paragraph(i: int, members: list[int], step: int) -> int | None:
        """The new paragraph of the nearest group on one side that shares an old paragraph with us."""
        j = i + step
        while 0 <= j < len(out):
            nm, nns, nne, _ = out[j]
            if nne > nns:
                mine = {old_para[seg_range[m][0]] for m in members}
                if old_para[seg_range[nm[0 if step > 0 else -1]][0]] in mine:
                    return para_before[nns]
                return None
            j += step
        return None

    split: list[tuple[list[int], int, int, bool]] = []
    for i, (members, ns, ne, exact) in enumerate(out):
        oa, ob = seg_range[members[0]][0], seg_range[members[-1]][1]
        if exact or ne <= ns or _PARA not in old_tokens[oa:ob] or _PARA in new_tokens[ns:ne]:
            split.append((members, ns, ne, exact))
            continue
        # changed text from several old paragraphs, now inside one: it belongs to the old
        # paragraph whose neighbour went to the same new paragraph; the others were removed
        here = para_before[ns]
        owners: set[int] = set()
        for step, edge in ((-1, members[0]), (1, members[-1])):
            if neighbour_paragraph(i, [edge], step) == here:
                owners.add(old_para[seg_range[edge][0]])
        if len(owners) != 1:
            split.append((members, ns, ne, exact))
            continue
        (owner,) = owners
        mine = [m for m in members if old_para[seg_range[m][0]] == owner]
        rest = [m for m in members if old_para[seg_range[m][0]] != owner]
        split.append((mine, ns, ne, False))
        split.extend(([m], ns, ns, False) for m in rest)
    out = sorted(split, key=lambda r: r[0][0])

    for i, (members, ns, ne, exact) in enumerate(out):
        oa, ob = seg_range[members[0]][0], seg_range[members[-1]][1]
        if exact or _PARA in old_tokens[oa:ob] or _PARA not in new_tokens[ns:ne]:
            continue
        if [t for t in new_tokens[ns:ne] if t != _PARA] == old_tokens[oa:ob]:
            continue  # the same words, split into paragraphs: still all this text (not exact)
        pieces = paragraphs(ns, ne)
        if len(pieces) < 2:
            continue
        wanted = None
        for j in (i - 1, i + 1):  # the paragraph of the neighbour from the same old paragraph
            if 0 <= j < len(out):
                nm, nns, nne, _ = out[j]
                na, nb = seg_range[nm[0]][0], seg_range[nm[-1]][1]
                same_old = _PARA not in old_tokens[min(ob, na) : max(oa, nb)]
                if same_old and nne > nns:
                    wanted = para_before[nns]
                    break
        keep = [p for p in pieces if para_before[p[0]] == wanted]
        if not keep:  # no neighbour to go by: the piece most like the old text, then the longest
            old_text = " ".join(old_tokens[oa:ob])
            keep = [
                max(
                    pieces,
                    key=lambda p: (similarity(old_text, " ".join(new_tokens[p[0] : p[1]])), p[1] - p[0]),
                )
            ]
        out[i] = (members, keep[0][0], keep[0][1], False)
    return out


def _claim_neighbouring_text(
    ranges: list[tuple[list[int], int, int, bool]],
    extra: list[tuple[int, int]],
    old_tokens: Sequence[str],
    seg_range: dict[int, tuple[int, int]],
) -> tuple[list[tuple[list[int], int, int, bool]], list[tuple[int, int]]]:
    """Segments found nowhere, next to a neighbour (same old paragraph) that was found:
    the unclaimed text right beside that neighbour is their text, edited."""
    if not extra:
        return ranges, extra
    order = sorted(range(len(ranges)), key=lambda i: seg_range[ranges[i][0][0]][0])

    def same_paragraph(a: int, b: int) -> bool:  # ranges a before b in the old text
        end, start = seg_range[ranges[a][0][-1]][1], seg_range[ranges[b][0][0]][0]
        return _PARA not in old_tokens[end:start]

    def gone(i: int) -> bool:
        return ranges[i][2] <= ranges[i][1]

    result = list(ranges)
    dropped: set[int] = set()
    k = 0
    while k < len(order):
        if not gone(order[k]):
            k += 1
            continue
        j = k
        while j + 1 < len(order) and gone(order[j + 1]) and same_paragraph(order[j], order[j + 1]):
            j += 1
        before = (
            order[k - 1]
            if k > 0 and not gone(order[k - 1]) and same_paragraph(order[k - 1], order[k])
            else None
        )
        after = (
            order[j + 1]
            if j + 1 < len(order) and not gone(order[j + 1]) and same_paragraph(order[j], order[j + 1])
            else None
        )
        run = None
        if before is not None:
            run = next((r for r in extra if r[0] == ranges[before][2]), None)
        if run is None and after is not None:
            run = next((r for r in extra if r[1] == ranges[after][1]), None)
        if run is not None:
            extra = [r for r in extra if r != run]
            members = [m for i in order[k : j + 1] for m in ranges[i][0]]
            result[order[k]] = (members, run[0], run[1], False)
            dropped.update(order[k + 1 : j + 1])
        k = j + 1
    return [r for i, r in enumerate(result) if i not in dropped], extra


def _runs(indices: list[int]) -> list[tuple[int, int]]:
    runs: list[tuple[int, int]] = []
    for k in indices:
        if runs and runs[-1][1] == k:
            runs[-1] = (runs[-1][0], k + 1)
        else:
            runs.append((k, k + 1))
    return runs


def _spans(new_pos: Sequence[tuple[int, int, int]], ns: int, ne: int) -> tuple[Span, ...]:
    spans: list[Span] = []
    for unit, a, b in new_pos[ns:ne]:
        if unit < 0:
            continue
        if spans and spans[-1].unit == unit:
            spans[-1] = Span(unit, spans[-1].start, b)
        else:
            spans.append(Span(unit, a, b))
    return tuple(spans)


def _relink_moved(
    ranges: list[tuple[list[int], int, int, bool]],
    old_tokens: Sequence[str],
    seg_range: dict[int, tuple[int, int]],
    new_tokens: Sequence[str],
) -> tuple[list[tuple[list[int], int, int, bool]], list[tuple[int, int]]]:
    """Segments whose exact words appear elsewhere were moved there; returns the new text
    no segment accounts for.

    A plain diff cannot see moves: a moved segment comes out as gone (or paired
    with whatever changed text is left where it was) and its text as new. Word
    for word text, whole sentences, is the stronger evidence: it is claimed
    from unclaimed text and from text the diff only paired with a changed
    segment (which then keeps what is left, or nothing).
    """
    n = len(new_tokens)
    taken_exact = -2  # owner of words claimed as a moved segment's exact text: never given up
    owner: list[int | None] = [None] * n  # index into ranges (their diff pairing), or taken_exact
    for gi, (_, ns, ne, _) in enumerate(ranges):
        for k in range(ns, ne):
            owner[k] = gi
    starts = {0} | {b for _, b in _sentences(new_tokens)}
    ends = {b for _, b in _sentences(new_tokens)}
    at: dict[str, list[int]] = {}
    for k in sorted(starts):
        if k < n:
            at.setdefault(new_tokens[k], []).append(k)
    found: dict[int, dict[int, tuple[int, int]]] = {}  # group -> member -> its exact new range

    def free(k: int, mine: int) -> bool:
        o = owner[k]
        return new_tokens[k] != _PARA and (o is None or o == mine or (o >= 0 and not ranges[o][3]))

    changed = True
    while changed:
        changed = False
        for gi, (members, _, _, is_exact) in enumerate(ranges):
            if is_exact:
                continue
            mine = found.setdefault(gi, {})
            for m in members:
                words = list(old_tokens[seg_range[m][0] : seg_range[m][1]])
                if m in mine or not words or _PARA in words:
                    continue
                hit = next(
                    (
                        k
                        for k in at.get(words[0], ())
                        if k + len(words) in ends
                        and list(new_tokens[k : k + len(words)]) == words
                        and all(free(j, gi) for j in range(k, k + len(words)))
                    ),
                    None,
                )
                if hit is None:
                    continue
                for j in range(hit, hit + len(words)):
                    owner[j] = taken_exact
                mine[m] = (hit, hit + len(words))
                changed = True
            if len(mine) == len(members):  # all of it was moved: what the diff paired it with is free
                for k in range(n):
                    if owner[k] == gi:
                        owner[k] = None
    result: list[tuple[list[int], int, int, bool]] = []
    for gi, (members, ns, ne, is_exact) in enumerate(ranges):
        mine = found.get(gi, {})
        result.extend(([m], *mine[m], True) for m in members if m in mine)
        rest = [m for m in members if m not in mine]
        if not rest:
            continue
        kept = [k for k in range(ns, ne) if owner[k] == gi]
        if len(kept) == ne - ns:
            result.append((rest, ns, ne, is_exact and not mine))
        elif kept:  # part of its text was someone else's: the rest keeps the first run of what is left
            run = _runs(kept)[0]
            for k in kept:
                if not run[0] <= k < run[1]:
                    owner[k] = None
            result.append((rest, run[0], run[1], False))
        else:
            result.append((rest, ns, ns, False))
    extra = _runs([k for k in range(n) if owner[k] is None and new_tokens[k] != _PARA])
    return sorted(result, key=lambda r: r[0][0]), extra


# --------------------------------------------------------------------------- across languages

Anchors = Callable[[str, str], float]  # (source group, target group) -> cost adjustment (negative = support)

# bead priors, -log of Gale & Church's frequencies relative to 1:1 (0.89 / 0.089 / 0.011 / ~0.008)
_BEADS: tuple[tuple[int, int, float], ...] = (
    (1, 1, 0.0),
    (1, 2, 2.3),
    (2, 1, 2.3),
    (2, 2, 4.4),
    (1, 3, 4.7),
    (3, 1, 4.7),
)
MAX_LENGTH_FACTOR = 2.5  # a bead whose length is off by more than this from the paragraph's ratio is doubtful


def _length(text: str) -> int:
    return sum(1 for ch in text if not ch.isspace())


def align_sentences(
    src: Sequence[str], tgt: Sequence[str], anchors: Anchors | None = None
) -> list[tuple[int, int, int, int]] | None:
    """Pair source and target sentences of one paragraph n:m; None when unclear.

    Beads are ``(i0, i1, j0, j1)``: ``src[i0:i1]`` translates as ``tgt[j0:j1]``.
    Lengths are compared with the paragraph's own length ratio (Korean is about
    a third as long as English in characters), so no language constant is needed.
    """
    n, m = len(src), len(tgt)
    if n == 0 or m == 0:
        return None
    if n == 1 or m == 1:
        return [(0, n, 0, m)]
    ls = [_length(s) for s in src]
    lt = [_length(t) for t in tgt]
    ratio = (sum(lt) + 1) / (sum(ls) + 1)
    inf = math.inf
    cost = [[inf] * (m + 1) for _ in range(n + 1)]
    back: list[list[tuple[int, int] | None]] = [[None] * (m + 1) for _ in range(n + 1)]
    cost[0][0] = 0.0
    for i in range(n + 1):
        for j in range(m + 1):
            if cost[i][j] == inf:
                continue
            for di, dj, prior in _BEADS:
                i2, j2 = i + di, j + dj
                if i2 > n or j2 > m:
                    continue
                c = cost[i][j] + prior + _bead_cost(sum(ls[i:i2]), sum(lt[j:j2]), ratio)
                if anchors is not None:
                    c += anchors(" ".join(src[i:i2]), " ".join(tgt[j:j2]))
                if c < cost[i2][j2]:
                    cost[i2][j2] = c
                    back[i2][j2] = (i, j)
    if cost[n][m] == inf:
        return None
    beads: list[tuple[int, int, int, int]] = []
    i, j = n, m
    while (i, j) != (0, 0):
        prev = back[i][j]
        assert prev is not None
        beads.append((prev[0], i, prev[1], j))
        i, j = prev
    beads.reverse()
    for i0, i1, j0, j1 in beads:
        expected = ratio * sum(ls[i0:i1]) + 4
        actual = sum(lt[j0:j1]) + 4
        if max(expected / actual, actual / expected) > MAX_LENGTH_FACTOR:
            return None
    return beads


def _bead_cost(src_len: int, tgt_len: int, ratio: float) -> float:
    return 4.0 * abs(math.log((tgt_len + 4) / (ratio * src_len + 4)))
