"""YAML front matter: values kept exactly as written, each with its line for messages."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from toolkit.core import seeded
from toolkit.core.errors import Problem, SourceError, problem
from toolkit.core.limits import FRONT_MATTER_BYTES, YAML_DEPTH
from toolkit.sources.decode import SourceFile

_FLAT_FIX = "front matter holds one 'key: value' per line (a list at most); remove the nesting"


def _split_front_matter(src: SourceFile) -> tuple[str | None, int, str, int]:
    """Return (yaml_text, yaml_first_line, body_text, body_first_line)."""
    text = src.text
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return None, 0, text, 1
    for i in range(1, len(lines)):
        if lines[i].strip() in ("---", "..."):
            return "\n".join(lines[1:i]), 2, "\n".join(lines[i + 1 :]), i + 2
    raise SourceError(
        problem(
            src.path,
            1,
            "front matter is not closed",
            "add a line with '---' after the last front matter key",
        )
    )


def _parse_front_matter(
    path: Path, yaml_text: str, first_line: int
) -> tuple[dict[str, tuple[str, int]], list[Problem]]:
    """Parse YAML front matter into {key: (raw string value, line)}.

    Values are kept as written (no YAML date/boolean coercion) so we can
    validate them ourselves and point at the line.
    """
    seeded.seed_yaml()  # before yaml's import compiles its own
    import yaml

    problems: list[Problem] = []
    size = len(yaml_text.encode("utf-8"))
    if size > FRONT_MATTER_BYTES.value:
        raise SourceError(
            problem(path, first_line, FRONT_MATTER_BYTES.message(f"front matter ({size:,} bytes)"), _FLAT_FIX)
        )
    try:
        node = _compose(path, yaml_text, first_line)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = first_line + mark.line if mark is not None else first_line
        reason = getattr(exc, "problem", None) or str(exc)
        raise SourceError(
            problem(
                path,
                line,
                f"invalid front matter ({reason})",
                "write one 'key: value' per line; quote values containing ':'",
            )
        ) from exc
    values: dict[str, tuple[str, int]] = {}
    if node is None:
        return values, problems
    if not isinstance(node, yaml.MappingNode):
        raise SourceError(
            problem(
                path,
                first_line,
                "front matter is not a list of 'key: value' lines",
                "write one 'key: value' per line",
            )
        )
    for key_node, value_node in node.value:
        line = first_line + key_node.start_mark.line
        key = str(key_node.value).strip()
        if not isinstance(value_node, yaml.ScalarNode):
            if isinstance(value_node, yaml.SequenceNode) and all(
                isinstance(v, yaml.ScalarNode) for v in value_node.value
            ):
                value = "\n".join(str(v.value) for v in value_node.value)
            else:
                problems.append(
                    problem(
                        path,
                        line,
                        f"'{key}' must be text",
                        f"write '{key}: …' on one line or as a '|' block",
                    )
                )
                continue
        else:
            value = str(value_node.value)
            if value_node.tag == "tag:yaml.org,2002:null" and value in ("", "~", "null"):
                value = ""
        if key in values:
            problems.append(problem(path, line, f"duplicate front matter key '{key}'", "keep only one"))
        values[key] = (value.strip("\n").rstrip(), line)
    return values, problems


def _compose(path: Path, yaml_text: str, first_line: int) -> Any:
    """``yaml.compose`` that refuses deep nesting on its way down.

    PyYAML's composer recurses (RecursionError on hostile input) while its event
    parser does not: each collection's start event is counted before the composer
    descends into it, so nesting beyond YAML_DEPTH is reported at its line, in one
    pass over the text (not a pass of events, then another to compose).
    """
    import yaml

    try:
        return yaml.compose(yaml_text, Loader=_depth_loader())
    except _TooDeep as exc:
        line = first_line + (exc.mark.line if exc.mark is not None else 0)
        raise SourceError(problem(path, line, YAML_DEPTH.message("front matter"), _FLAT_FIX)) from None


class _TooDeep(Exception):
    def __init__(self, mark: Any) -> None:
        super().__init__()
        self.mark = mark


@functools.cache
def _depth_loader() -> type:
    seeded.seed_yaml()  # before yaml's import compiles its own
    import yaml

    class DepthLoader(yaml.SafeLoader):
        depth = 0

        def compose_node(self, parent: Any, index: Any) -> Any:
            event = self.peek_event()  # type: ignore[no-untyped-call]
            if not isinstance(event, yaml.MappingStartEvent | yaml.SequenceStartEvent):
                return super().compose_node(parent, index)
            self.depth += 1
            if self.depth > YAML_DEPTH.value:
                raise _TooDeep(event.start_mark)
            try:
                return super().compose_node(parent, index)
            finally:
                self.depth -= 1

    return DepthLoader
