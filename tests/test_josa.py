"""Korean particle allomorphs chosen by the Korean reading of the word."""

from __future__ import annotations

import pytest

from toolkit.terminology.josa import attach, fix_particle, has_final_consonant


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("서울", True),
        ("창원", True),
        ("김해시", False),
        ("창원특례시", False),
        ("K9", False),  # 구
        ("KF-21", True),  # 일
        ("10", True),  # 십
        ("100", True),  # 백
        ("LIG", False),  # 지
        ("IBM", True),  # 엠
        ("DAPA", False),  # 에이
        ("(DAPA)", False),  # brackets are not read
        ("'창원'", True),
        ("3.5", False),  # 오
        ("Seoul", True),
        ("Hanwha", False),
        ("Forces", None),  # unknown reading
        ("", None),
        ("!!", None),
    ],
)
def test_has_final_consonant(word: str, expected: bool | None) -> None:
    assert has_final_consonant(word) is expected


@pytest.mark.parametrize(
    ("word", "particle", "expected"),
    [
        ("서울", "으로", "서울로"),  # ㄹ takes 로
        ("창원", "로", "창원으로"),
        ("김해시", "으로", "김해시로"),
        ("창원특례시", "으로", "창원특례시로"),
        ("K9", "은", "K9는"),
        ("KF-21", "는", "KF-21은"),
        ("KF-21", "으로", "KF-21로"),
        ("방위사업청", "와의", "방위사업청과의"),
        ("창원시", "과", "창원시와"),
        ("국방부", "을", "국방부를"),
        ("창원", "가", "창원이"),
        ("창원특례시", "으로는", "창원특례시로는"),
        ("창원", "로서", "창원으로서"),
        ("창원시", "이라는", "창원시라는"),
        ("방위사업청", "라는", "방위사업청이라는"),
        ("창원시", "이며", "창원시며"),
        ("창원", "나", "창원이나"),
        ("창원시", "에서는", "창원시에서는"),  # no allomorph: unchanged
        ("창원시", "의", "창원시의"),
        ("Forces", "은", "Forces은"),  # unknown reading: left as written
    ],
)
def test_attach(word: str, particle: str, expected: str) -> None:
    assert attach(word, particle) == expected


def test_fix_particle_returns_only_the_particle() -> None:
    assert fix_particle("서울", "으로도") == "로도"
    assert fix_particle("서울", "") == ""


def test_stacked_particles_take_the_allomorph_their_first_part_needs() -> None:
    """The matcher's closed particle list: every stack, built with fix_particle on whole words."""
    from toolkit.terminology import matcher
    from toolkit.terminology.josa import fix_particle

    expected = set(matcher._SINGLE)
    for first in matcher._FIRST:
        expected |= {first + fix_particle(first, second) for second in matcher._SECOND}
        for link in matcher._LINK:
            if link != first:
                expected |= {first + link + fix_particle(first + link, t) for t in matcher._THIRD}
    assert expected == matcher.PARTICLES
    assert {"에서는", "으로는", "에게도", "과의", "까지는", "에서만은", "부터라도"} <= matcher.PARTICLES
    assert not {"에서은", "으로은", "까지은"} & matcher.PARTICLES
