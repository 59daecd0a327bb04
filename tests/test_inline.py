"""Canonical inline Markdown ↔ runs (toolkit.core.inline)."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from toolkit.core.inline import Span, canonical, escape, normalize, parse_inline, plain, to_inline

B = Span("", line_break=True)

# Characters that mean something somewhere in Markdown, and ordinary text around them.
MARKUP = list("*_`[]()<>&#!|\\~-+=.:;\"'/ ")
ALPHABET = st.one_of(
    st.sampled_from(MARKUP),
    st.sampled_from(list("ab1Z가나창원“”‘’©—…\u00a0\u3000\t")),
    st.characters(min_codepoint=0x21, max_codepoint=0x7E),
    st.characters(min_codepoint=0xAC00, max_codepoint=0xD7A3),
)
MARKDOWNISH = st.lists(
    st.one_of(
        ALPHABET,
        st.sampled_from(["**", "&amp;", "&#8212;", "&nosuch;", "<http://x.kr>", "\n", "\\\n", "](u)", "`"]),
    ),
    max_size=40,
).map("".join)
VISIBLE_CHAR = st.characters(blacklist_categories=("Cc", "Cs"))  # control characters aside
NO_CONTROL = st.one_of(st.text(VISIBLE_CHAR, max_size=40), st.text(ALPHABET.filter(lambda c: c != "\t")))
HREFS = st.sampled_from(
    ["", "", "", "https://www.changwon.go.kr/a?b=1&amp;c", "photo 1.jpg", "x(y)", "<z>", "a\\b|c"]
)


def visible(spans: tuple[Span, ...]) -> str:
    return "".join("\n" if s.line_break else s.text for s in spans)


def unformatted(spans: tuple[Span, ...]) -> tuple[Span, ...]:
    return normalize(Span(s.text, code=s.code, href=s.href, line_break=s.line_break) for s in spans)


def spans_strategy(text: st.SearchStrategy[str]) -> st.SearchStrategy[list[Span]]:
    span = st.builds(
        Span,
        text=text,
        bold=st.booleans(),
        italic=st.booleans(),
        code=st.booleans(),
        href=HREFS,
        line_break=st.sampled_from([False, False, False, False, True]),
    )
    return st.lists(span, max_size=8)


ANY_SPANS = spans_strategy(st.text(ALPHABET, max_size=10))

# Words whose first and last characters are letters: formatting on such words
# is always expressible in CommonMark, so the round trip must be exact.
EDGE = st.sampled_from(list("aZ9가창원"))
WORD = st.builds(lambda a, mid, z: a + mid + z, EDGE, st.text(ALPHABET, max_size=6), EDGE)


@st.composite
def word_spans(draw: st.DrawFn) -> list[Span]:
    spans: list[Span] = []
    for index in range(draw(st.integers(1, 8))):
        if index:
            spans.append(B if draw(st.integers(0, 5)) == 0 else Span(" "))
        code = draw(st.booleans())
        text = draw(st.text(ALPHABET, min_size=1, max_size=8)) if code else draw(WORD)
        spans.append(
            Span(text, bold=draw(st.booleans()), italic=draw(st.booleans()), code=code, href=draw(HREFS))
        )
    return spans


MIDDLE = st.lists(st.sampled_from([*"ab가1 .,;:'-+=#>|?“”()&<", "&amp;", "&#8212;"]), max_size=6).map("".join)
PROSE_WORD = st.builds(lambda a, mid, z: a + mid + z, EDGE, MIDDLE, EDGE)
SEPARATOR = st.sampled_from([" ", " ", "", ", ", ". ", "\\\n", "\n", "  \n"])


@st.composite
def prose(draw: st.DrawFn, depth: int = 2) -> str:
    """Markdown as people write it: formatting, links and code around words.

    Two formatted pieces touch only through a plain word ("**창원**은" yes,
    "**a***b*" no: CommonMark reads such runs as one, a different text).
    """
    pieces: list[tuple[str, bool]] = []  # (markdown, is a plain word)
    for index in range(draw(st.integers(1, 4))):
        kind = draw(
            st.sampled_from(["word", "word", "code"] + (["bold", "em", "em_", "link"] if depth else []))
        )
        if kind == "word":
            piece, plain_word = draw(PROSE_WORD), True
        elif kind == "code":
            piece, plain_word = (
                f"`{draw(st.text(st.sampled_from(list('a *_[|')), min_size=1, max_size=5))}`",
                False,
            )
        else:
            inner = draw(prose(depth - 1))
            piece = {"bold": "**{}**", "em": "*{}*", "em_": "_{}_", "link": "[{}](https://x.kr/a_b)"}[kind]
            piece, plain_word = piece.format(inner), False
        if index:
            separator = draw(SEPARATOR)
            if not separator and not (plain_word or pieces[-1][1]):
                separator = " "
            pieces.append((separator, False))
        pieces.append((piece, plain_word))
    return "".join(piece for piece, _ in pieces)


class TestProperties:
    @settings(max_examples=300, deadline=None)
    @given(spans=word_spans())
    def test_round_trip_is_exact_for_expressible_runs(self, spans: list[Span]) -> None:
        assert parse_inline(to_inline(spans)) == normalize(spans)

    @settings(max_examples=300, deadline=None)
    @given(text=prose())
    @example("*a **b***c")
    @example("[a](<b c>) ![img *alt*](p.jpg) `x` \\\nnext")
    @example("**창원특례시**는 *K-방산* 포럼을 [창원컨벤션센터](https://x.kr)에서 열었다.")
    def test_round_trip_is_exact_for_prose_read_from_markdown(self, text: str) -> None:
        spans = parse_inline(text)
        assert parse_inline(to_inline(spans)) == spans

    @settings(max_examples=300, deadline=None)
    @given(spans=ANY_SPANS)
    def test_text_links_and_code_are_never_lost(self, spans: list[Span]) -> None:
        """Any runs at all: CommonMark may not express some bold/italic, but nothing else goes."""
        back = parse_inline(to_inline(spans))
        assert visible(back) == visible(normalize(spans))
        assert unformatted(back) == unformatted(normalize(spans))

    @settings(max_examples=300, deadline=None)
    @given(text=NO_CONTROL)
    @example("  leading and trailing  ")
    @example("<img src=x> &#8212; &amp; \\ * _ ` [ ] | ! # > 1. - + = ~~~")
    def test_escape_displays_exactly_the_text(self, text: str) -> None:
        assert plain(escape(text)) == text

    @settings(max_examples=300, deadline=None)
    @given(text=MARKDOWNISH)
    def test_canonical_is_idempotent(self, text: str) -> None:
        once = canonical(text)
        assert canonical(once) == once
        assert plain(once) == plain(text)

    @settings(max_examples=100, deadline=None)
    @given(parts=st.lists(NO_CONTROL, min_size=1, max_size=4))
    def test_line_breaks_survive_escape(self, parts: list[str]) -> None:
        text = "\n".join(parts)
        expected = text.rstrip("\n")  # a break at the very end is not expressible (nor visible)
        assert plain(escape(text)) == expected


class TestReading:
    @pytest.mark.parametrize(
        ("text", "spans"),
        [
            ("**bold** and *it*", (Span("bold", bold=True), Span(" and "), Span("it", italic=True))),
            ("__bold__ _it_", (Span("bold", bold=True), Span(" "), Span("it", italic=True))),
            ("***both***", (Span("both", bold=True, italic=True),)),
            ("`a*b`", (Span("a*b", code=True),)),
            ("[시청](https://www.changwon.go.kr)", (Span("시청", href="https://www.changwon.go.kr"),)),
            ("[a](<photo 1.jpg>)", (Span("a", href="photo 1.jpg"),)),
            ("<https://x.kr>", (Span("https://x.kr", href="https://x.kr"),)),
            ("one\\\ntwo", (Span("one"), B, Span("two"))),
            ("one  \ntwo", (Span("one"), B, Span("two"))),
            ("soft\nbreak", (Span("soft break"),)),
            ("AT&amp;T &#8212; &copy; &nosuch;", (Span("AT&T — © &nosuch;"),)),
            ("<img src=x>", (Span("<img src=x>"),)),
            ('<b onclick="x">no</b>', (Span('<b onclick="x">no</b>'),)),
            ("\\*not\\* \\_it\\_", (Span("*not* _it_"),)),
            ("snake_case_name", (Span("snake_case_name"),)),
            ("see ![the mayor](a.jpg) here", (Span("see the mayor here"),)),
            ("[x](javascript:alert(1))", (Span("[x](javascript:alert(1))"),)),
            ('[x](u "title")', (Span("x", href="u"),)),
            ("** spaced **", (Span("** spaced **"),)),
        ],
    )
    def test_parse(self, text: str, spans: tuple[Span, ...]) -> None:
        assert parse_inline(text) == spans

    def test_plain_is_the_visible_text(self) -> None:
        assert (
            plain("**창원특례시**는 [포럼](https://x.kr)을 `열었다`\\\n끝")
            == "창원특례시는 포럼을 열었다\n끝"
        )

    def test_bold_ending_in_a_quote_before_a_particle_is_literal(self) -> None:
        # CommonMark: a closing ** after punctuation and before a letter closes nothing
        assert plain("**“창원”**은") == "**“창원”**은"


class TestWriting:
    @pytest.mark.parametrize(
        ("spans", "text"),
        [
            ((Span("bold", bold=True), Span(" x")), "**bold** x"),
            ((Span("it", italic=True),), "*it*"),
            ((Span("a`b", code=True),), "``a`b``"),
            ((Span("`a", code=True),), "`` `a ``"),
            ((Span(" a ", code=True),), "`  a  `"),
            ((Span("x", href="a b.jpg"),), "[x](<a b.jpg>)"),
            ((Span("x", href="a(1)"),), "[x](a\\(1\\))"),
            ((Span("[1]", href="u"),), "[\\[1\\]](u)"),
            ((Span("a"), B, Span("b")), "a\\\nb"),
            ((Span("a"), B, B, Span("b")), "a\\\n\\\nb"),
            ((Span(" bold ", bold=True),), "&#32;**bold**&#32;"),
            ((Span("a"), Span("b", bold=True)), "a**b**"),
            # formatting CommonMark cannot express at the edge moves inward
            ((Span("“창원”", bold=True), Span("은")), "“**창원**”은"),
            ((Span("x", href="javascript:alert(1)"),), "x"),
            # overlapping bold and italic: underscores keep the runs apart
            (
                (Span("a", bold=True), Span("b", bold=True, italic=True), Span("c", italic=True)),
                "__a*b*__*c*",
            ),
        ],
    )
    def test_to_inline(self, spans: tuple[Span, ...], text: str) -> None:
        assert to_inline(spans) == text

    @pytest.mark.parametrize(
        ("plain_text", "markdown"),
        [
            ("3 * 4 = 12", "3 \\* 4 = 12"),
            ("snake_case and _x_", "snake_case and \\_x\\_"),
            ("[사진] 1|2", "\\[사진] 1\\|2"),
            ("<img src=x>", "<img src=x>"),
            ("<https://x.kr>", "\\<https://x.kr>"),
            ("AT&T &amp; &nosuch;", "AT&T \\&amp; &nosuch;"),
            ("Hi![x]", "Hi!\\[x]"),
            ("C:\\path", "C:\\\\path"),
            ("  indented", "&#32;&#32;indented"),
            ("1. not a list", "1. not a list"),  # block-start escaping is the block writer's job
            ("창원특례시", "창원특례시"),
        ],
    )
    def test_escape(self, plain_text: str, markdown: str) -> None:
        assert escape(plain_text) == markdown
        assert plain(markdown) == plain_text

    def test_canonical_form(self) -> None:
        assert canonical("__a__ _b_ <https://x.kr> &#8212;") == "**a** *b* [https://x.kr](https://x.kr) —"
        assert canonical("**a **b") == "\\*\\*a \\*\\*b"
