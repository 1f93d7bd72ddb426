"""The layers of docs/architecture.md, checked: who may import whom, and no import cycles.

The imports are read from the source (every ``import`` and ``from ... import``, at the top of
a module or inside a function alike, so a cycle cannot hide in a lazy import).
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("mapping", "ui")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" in path.parts and path.parent.name == "versions":
                continue
            found[module_name(path)] = path
    return found


def imported(path: Path, name: str, known: set[str]) -> set[str]:
    """The project modules ``path`` imports (``from a import b`` counts ``a.b`` when that is
    a module, else ``a``)."""
    is_package = path.name == "__init__.py"
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                here = name.split(".") if is_package else name.split(".")[:-1]
                here = here[: len(here) - (node.level - 1)]
                base = ".".join([*here, base] if base else here)
            for alias in node.names:
                full = f"{base}.{alias.name}"
                out.add(full if full in known else base)
    return {m for m in out if m in known and m != name}


def import_graph() -> nx.DiGraph:
    found = modules()
    known = set(found)
    g = nx.DiGraph()
    g.add_nodes_from(known)
    for name, path in found.items():
        g.add_edges_from((name, other) for other in imported(path, name, known))
    return g


def test_the_import_graph_reads_real_imports():
    g = import_graph()
    assert g.has_edge("mapping.storage.store", "mapping.model")
    assert g.has_edge("mapping.cli", "mapping.io.formats")
    assert g.number_of_nodes() > 100


def test_no_module_imports_itself_round_a_cycle():
    cycles = sorted(sorted(c) for c in nx.simple_cycles(import_graph()))
    assert cycles == [], "import cycles: " + "; ".join(" <-> ".join(c) for c in cycles)


LAYERS = {
    # package: the project's packages it must not import (docs/architecture.md)
    "mapping.model": (
        "mapping.changes",
        "mapping.analysis",
        "mapping.storage",
        "mapping.io",
        "mapping.drawing",
        "mapping.report",
        "mapping.demo",
        "mapping.bench",
    ),
    "mapping.changes": ("mapping.storage", "mapping.drawing", "mapping.report", "mapping.bench"),
    "mapping.analysis": ("mapping.storage", "mapping.io", "mapping.drawing", "mapping.bench"),
    "mapping.storage": ("mapping.analysis", "mapping.drawing", "mapping.report", "mapping.bench"),
    "mapping.io": ("mapping.storage", "mapping.bench"),
    "mapping": ("ui",),
}


@pytest.mark.parametrize("layer", list(LAYERS))
def test_each_layer_imports_only_what_lies_beneath_it(layer):
    g = import_graph()
    inside = [m for m in g if m == layer or m.startswith(layer + ".")]
    assert inside
    wrong = sorted(
        f"{m} imports {other}"
        for m in inside
        for other in g.successors(m)
        if any(other == no or other.startswith(no + ".") for no in LAYERS[layer])
    )
    assert wrong == []


def test_mapping_imports_every_module_with_streamlit_blocked():
    names = [m for m in modules() if m.startswith("mapping") and "migrations.env" not in m]
    script = (
        "import importlib, sys\n"
        "sys.modules['streamlit'] = None  # any import of it fails\n"
        f"for name in {names!r}:\n"
        "    importlib.import_module(name)\n"
        "print('ok', len([m for m in sys.modules if m.startswith('mapping')]))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.startswith("ok ")
