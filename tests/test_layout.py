"""The code reads as the flow: stage packages import only earlier stages and shared leaves.

Read with `ast` (no module is imported), so the test sees every import, including
those inside functions, and fails on any cycle among pipeline modules.
"""

from __future__ import annotations

import ast
from pathlib import Path

from pipeline.house import REPO_ROOT

PACKAGE = REPO_ROOT / "pipeline"
# The data flow, in order; a stage may import the ones before it.
STAGES = ["edition", "render", "typeset", "pdfread", "check"]
LEAVES = {"errors", "cjk", "textfile", "house", "atomic_files", "variant"}
MAX_MODULE_LINES = 500


def module_name(path: Path) -> str:
    parts = path.relative_to(REPO_ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path) -> set[str]:
    """Pipeline modules that `path` imports (absolute names)."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if node.module is None:  # from . import x
                found |= {f"{target}.{alias.name}" for alias in node.names}
            else:
                found.add(target)
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
    modules = {module_name(p) for p in PACKAGE.rglob("*.py")}
    return {target for target in found if target in modules and target != name}


def graph() -> dict[str, set[str]]:
    return {module_name(path): imports_of(path) for path in PACKAGE.rglob("*.py")}


def find_cycle(edges: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for target in sorted(edges.get(node, ())):
            if state.get(target) == 1:
                return [*stack[stack.index(target):], target]
            if target not in state and (cycle := visit(target)):
                return cycle
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(edges):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def test_no_import_cycle_among_pipeline_modules() -> None:
    cycle = find_cycle(graph())
    assert cycle is None, " → ".join(cycle or [])


def test_cycle_finder_finds_a_cycle() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def stage_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 2 and parts[1] in [*STAGES, "importer"] else None


def test_stages_import_only_earlier_stages_and_leaves() -> None:
    wrong = []
    for module, targets in graph().items():
        stage = stage_of(module)
        if stage is None or stage == "importer":
            continue
        for target in targets:
            leaf = target.split(".")[1] if target.count(".") == 1 else None
            other = stage_of(target)
            if leaf in LEAVES or other == stage:
                continue
            if other is None or other == "importer" or STAGES.index(other) > STAGES.index(stage):
                wrong.append(f"{module} → {target}")
    assert not wrong, "\n".join(wrong)


def test_leaves_import_no_stage() -> None:
    wrong = [
        f"{module} → {target}"
        for module, targets in graph().items()
        if module.split(".")[-1] in LEAVES and module.count(".") == 1
        for target in targets
        if target.split(".")[-1] not in LEAVES
    ]
    assert not wrong, "\n".join(wrong)


def test_no_module_over_the_size_limit() -> None:
    long = [
        f"{path.relative_to(REPO_ROOT)}: {count} lines"
        for path in PACKAGE.rglob("*.py")
        if (count := len(path.read_text("utf-8").splitlines())) > MAX_MODULE_LINES
    ]
    assert not long, "\n".join(long)
