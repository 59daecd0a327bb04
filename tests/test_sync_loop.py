"""The whole loop, through the CLI: people edit, authors edit, the glossary changes, CI builds.

Random sequences of human edits to ``release.en.md`` (sentences edited, split
and merged; paragraphs added, deleted, swapped, split and merged; the title),
source edits to ``release.ko.md`` and glossary target changes, each followed by
``presspack build`` with a copy model. After every build:

* each sentence a person wrote is still in the file, or quoted in a finding;
* no paragraph appears twice;
* ``presspack build --check`` reports nothing stale (a second build would change nothing).

(The sync alone is fuzzed much harder, in process, by test_sync_properties.py.)
"""

from __future__ import annotations

import itertools
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, Phase, given, note, settings
from hypothesis import strategies as st

from toolkit.cli import main
from toolkit.translation.memory import segments_of

GLOSSARY = (
    "ko,en,category,note\n창원특례시,{city},place,\n"
    "방위사업청,Defense Acquisition Program Administration (DAPA),defense,\n"
)
CITIES = ("Changwon Special City", "Changwon City")
SOURCE = (
    "---\ntitle: 창원특례시 방산 포럼 개최\ndate: 2026-11-05\nlang: ko\n---\n\n"
    "창원특례시는 5일 포럼을 열었다. 방위사업청 관계자도 참석했다.\n\n"
    "포럼은 두 세션으로 진행됐다. 참석자는 250명이었다.\n\n"
    "시는 앞으로도 지원을 이어 간다.\n"
)

OPS = st.lists(
    st.tuples(
        st.sampled_from(
            [
                "edit",
                "split-sentence",
                "merge-sentences",
                "add",
                "delete",
                "swap",
                "split",
                "merge",
                "title",
                "source-edit",
                "source-add",
                "source-delete",
                "source-paragraph",
                "source-swap",
                "source-title",
                "glossary",
            ]
        ),
        st.integers(0, 50),
        st.integers(0, 50),
    ),
    min_size=1,
    max_size=6,
)


def run(args: list[str]) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, args)
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def split_file(path: Path) -> tuple[str, list[list[str]], str]:
    """(front matter, paragraphs as sentences, language) of a release file."""
    text = path.read_text("utf-8")
    _, front, rest = text.split("---\n", 2)
    lang = "ko" if "lang: ko" in front else "en"
    paragraphs = [segments_of(p.strip(), lang) for p in rest.split("\n\n") if p.strip()]
    return front, paragraphs, lang


def join_file(path: Path, front: str, paragraphs: list[list[str]]) -> None:
    body = "\n\n".join(" ".join(p) for p in paragraphs if p)
    path.write_text(f"---\n{front}---\n\n{body}\n", "utf-8")


def human(op: str, paras: list[list[str]], a: int, b: int, fresh: str) -> None:
    if not paras:
        paras.append([f"{fresh} added."])
    elif op == "edit":
        p = paras[a % len(paras)]
        p[b % len(p)] = f"{fresh} edited this sentence."
    elif op == "split-sentence":
        p = paras[a % len(paras)]
        k = b % len(p)
        p[k : k + 1] = [f"{fresh} wrote one half.", f"{fresh}b wrote the other."]
    elif op == "merge-sentences":
        p = paras[a % len(paras)]
        if len(p) > 1:
            k = b % (len(p) - 1)
            p[k : k + 2] = [f"{fresh} merged two sentences."]
    elif op == "add":
        paras.insert(a % (len(paras) + 1), [f"{fresh} added a paragraph."])
    elif op == "delete" and len(paras) > 1:
        del paras[a % len(paras)]
    elif op == "swap" and len(paras) > 1:
        i, j = a % len(paras), b % len(paras)
        paras[i], paras[j] = paras[j], paras[i]
    elif op == "split":
        i = a % len(paras)
        if len(paras[i]) > 1:
            k = 1 + b % (len(paras[i]) - 1)
            paras[i : i + 1] = [paras[i][:k], paras[i][k:]]
    elif op == "merge" and len(paras) > 1:
        i = a % (len(paras) - 1)
        paras[i : i + 2] = [paras[i] + paras[i + 1]]


def author(op: str, paras: list[list[str]], a: int, b: int, n: int) -> None:
    if op == "source-edit":
        p = paras[a % len(paras)]
        p[b % len(p)] = f"작성자가 {n}번째로 고친 문장이다."
    elif op == "source-add":
        p = paras[a % len(paras)]
        p.insert(b % (len(p) + 1), f"창원특례시는 {n}개 기업을 지원한다.")
    elif op == "source-delete":
        i = a % len(paras)
        if len(paras[i]) > 1 or len(paras) > 1:
            del paras[i][b % len(paras[i])]
            if not paras[i]:
                del paras[i]
    elif op == "source-paragraph":
        paras.insert(a % (len(paras) + 1), [f"새 문단 {n}번이다."])
    elif op == "source-swap" and len(paras) > 1:
        i, j = a % len(paras), b % len(paras)
        paras[i], paras[j] = paras[j], paras[i]


@pytest.mark.usefixtures("copy_models")
@settings(
    max_examples=10,
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],  # shrinking builds for minutes: notes say enough
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(ops=OPS)
def test_people_authors_and_glossary_change_nothing_is_lost(
    ops: list[tuple[str, int, int]], tmp_path_factory: pytest.TempPathFactory
) -> None:
    base = tmp_path_factory.mktemp("loop")
    folder = base / "releases" / "2026-11-05-forum"
    folder.mkdir(parents=True)
    ko, en = folder / "release.ko.md", folder / "release.en.md"
    ko.write_text(SOURCE, "utf-8")
    glossary = base / "glossary.csv"
    city = 0
    glossary.write_text(GLOSSARY.format(city=CITIES[city]), "utf-8")
    args = ["--glossary", str(glossary), "--out", str(base / "out"), "--lang", "ko,en"]
    code, _, err = run(["build", str(folder), *args])
    assert code == 0, err
    counter = itertools.count(1)
    for op, a, b in ops:
        n = next(counter)
        fresh = f"H{n}"
        if op == "title":
            en.write_text(
                re.sub(r"(?m)^title: .*$", f"title: {fresh} wrote the title", en.read_text("utf-8")), "utf-8"
            )
        elif op == "source-title":
            ko.write_text(
                re.sub(r"(?m)^title: .*$", f"title: 작성자 {n}번 제목", ko.read_text("utf-8")), "utf-8"
            )
        elif op == "glossary":
            city = 1 - city
            glossary.write_text(GLOSSARY.format(city=CITIES[city]), "utf-8")
        elif op.startswith("source-"):
            front, paras, _ = split_file(ko)
            author(op, paras, a, b, n)
            join_file(ko, front, paras)
        else:
            front, paras, _ = split_file(en)
            human(op, paras, a, b, fresh)
            join_file(en, front, paras)
        before = en.read_text("utf-8")
        note(f"{op} ({a}, {b})\n--- source\n{ko.read_text('utf-8')}\n--- translation\n{before}")
        code, stdout, err = run(["build", str(folder), *args, "--json"])
        assert code == 0, err
        report = json.loads(stdout)
        after = en.read_text("utf-8")
        quoted = json.dumps(report["findings"], ensure_ascii=False)
        for marker in set(re.findall(r"\bH\d+b?\b", before)):
            assert re.search(rf"\b{marker}\b", after) or re.search(rf"\b{marker}\b", quoted), (marker, after)
        _, paragraphs, _ = split_file(en)
        texts = [" ".join(p) for p in paragraphs]
        assert len(texts) == len(set(texts)), texts
        code, stdout, err = run(["build", str(folder), *args, "--check"])
        assert code == 0, stdout + err
        assert en.read_text("utf-8") == after
