"""The package layout is the architecture: dependencies run one way.

core → sources · terminology · render → mt → translation → interchange → build → commands → cli

Checked on the real import statements of every module (TYPE_CHECKING-only
imports excluded, as they never run), so a new module cannot quietly add a cycle.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "toolkit"

# rank of each room; a module may import only from rooms of lower or equal rank
# (equal: inside its own room, or between the three sibling rooms of rank 1 — which
# are then checked for cycles below).
RANKS = {
    "core": 0,
    "sources": 1,
    "terminology": 1,
    "render": 1,
    "mt": 2,
    "translation": 3,
    "interchange": 4,
    "build": 5,
    "commands": 6,
    "cli": 7,
    "__main__": 8,
    "testing": 2,  # test kit: builds model packages (mt level), used by tests only
    "typing": 7,  # the public re-export of the types users import
    "__init__": 0,
}


def _room(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def _module_name(path: Path) -> str:
    rel = path.relative_to(ROOT).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _runtime_imports(path: Path) -> set[str]:
    """Modules imported when the code runs (not under ``if TYPE_CHECKING:``)."""
    tree = ast.parse(path.read_text("utf-8"))
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for child in ast.walk(node):
                skip.add(id(child))
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            for alias in node.names:
                found.add(f"{node.module}.{alias.name}")
    return found


def _graph() -> dict[str, set[str]]:
    modules = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        graph[name] = {m for m in _runtime_imports(path) if m in modules and m != name}
    return graph


def test_every_room_is_known() -> None:
    rooms = {_room(m) for m in _graph()}
    assert rooms <= set(RANKS), f"new top-level module(s) without a rank: {sorted(rooms - set(RANKS))}"


def test_dependencies_run_one_way() -> None:
    wrong = []
    for module, imports in _graph().items():
        for imported in imports:
            if RANKS[_room(imported)] > RANKS[_room(module)]:
                wrong.append(f"{module} imports {imported}")
    assert wrong == []


def test_no_import_cycles_between_modules() -> None:
    graph = _graph()
    state: dict[str, int] = {}
    cycles: list[list[str]] = []

    def visit(node: str, stack: list[str]) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycles.append([*stack[stack.index(nxt) :], nxt])
            elif nxt not in state:
                visit(nxt, stack)
        stack.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node, [])
    assert cycles == []


@pytest.mark.parametrize("path", sorted(p for p in PACKAGE.rglob("*.py") if p.name != "cli.py"), ids=str)
def test_the_library_never_imports_click(path: Path) -> None:
    imports = _runtime_imports(path)
    assert not any(m == "click" or m.startswith("click.") for m in imports)
