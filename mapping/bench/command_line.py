"""The command line at scale: the whole ``python -m mapping analyse FILE --json`` process on a
GraphML file, beside igraph's exact betweenness alone on the same graph in the same run.

The process is timed from its start to its exit, so importing the package and reading the
file count as a user waits for them. igraph runs in this process on the graph the analysis
sees (the ties as read back from the same file, lengths as the analysis weighs them), exact
whatever the size: the yardstick issue 18 sets is that the whole command finishes before
igraph's betweenness alone does.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

__all__ = ["CLI_PEOPLE", "command_line_side_by_side", "command_line_table"]

#: The issue's size: 5,000 people and 25,000 ties.
CLI_PEOPLE = 5000

ROOT = Path(__file__).resolve().parents[2]


def _process_seconds(path: Path) -> float:
    """Seconds from starting ``python -m mapping analyse path --json`` to its exit."""
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    }
    command = [sys.executable, "-m", "mapping", "analyse", str(path), "--json"]
    started = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, check=False)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        msg = f"`mapping analyse --json` failed on {path.name}: {done.stderr.decode()[-500:]}"
        raise RuntimeError(msg)
    return seconds


def _igraph_exact_seconds(path: Path) -> float:
    """igraph's exact betweenness on the map in ``path``, lengths as the analysis weighs ties."""
    import igraph

    from mapping.bench.peers import _lengths
    from mapping.io.formats import read_file
    from mapping.model.graph import tie_graph

    G = tie_graph(read_file(path.name, path.read_bytes()))
    nodes = list(G)
    index = {v: i for i, v in enumerate(nodes)}
    lengths = _lengths(G)
    g = igraph.Graph(n=len(nodes), edges=[(index[u], index[v]) for u, v in lengths])
    started = time.perf_counter()
    g.betweenness(directed=False, weights=list(lengths.values()))
    return time.perf_counter() - started


def command_line_side_by_side(
    people: int = CLI_PEOPLE, *, ties_per_person: float = 5.0, repeats: int = 1
) -> dict[str, Any]:
    """Median seconds of the whole ``analyse --json`` process and of igraph's exact
    betweenness alone, on one synthetic map of ``people`` written as GraphML.

    >>> r = command_line_side_by_side(40, repeats=1)
    >>> (r["people"], r["ties"]), r["process"] > 0 < r["igraph_exact"]
    ((40, 200), True)
    """
    import statistics

    from mapping.demo.synthetic import synthetic_map
    from mapping.io.formats import write_file

    m = synthetic_map(people, ties_per_person=ties_per_person, seed=1)
    with tempfile.TemporaryDirectory(prefix="coalition-cli-") as folder:
        path = Path(folder) / f"map-{people}.graphml"
        path.write_bytes(write_file(m, "graphml"))
        process = [_process_seconds(path) for _ in range(repeats)]
        exact = [_igraph_exact_seconds(path) for _ in range(repeats)]
        size = path.stat().st_size
    return {
        "people": len(m.stakeholders),
        "ties": len(m.relationships),
        "file_mb": size / 1e6,
        "process": statistics.median(process),
        "igraph_exact": statistics.median(exact),
    }


def command_line_table(result: dict[str, Any]) -> str:
    """The side by side as a Markdown table.

    >>> r = {"people": 5000, "ties": 25000, "file_mb": 9.1, "process": 3.0, "igraph_exact": 4.0}
    >>> print(command_line_table(r))
    | 5,000 people, 25,000 ties (GraphML, 9.1 MB) | Seconds |
    |---|---:|
    | The whole `python -m mapping analyse FILE --json` process | 3.00 |
    | igraph's exact betweenness alone, same graph | 4.00 |
    | Process ÷ igraph | 0.75× |
    """
    ratio = result["process"] / result["igraph_exact"] if result["igraph_exact"] else None
    return "\n".join(
        [
            f"| {result['people']:,} people, {result['ties']:,} ties "
            f"(GraphML, {result['file_mb']:.1f} MB) | Seconds |",
            "|---|---:|",
            f"| The whole `python -m mapping analyse FILE --json` process | {result['process']:.2f} |",
            f"| igraph's exact betweenness alone, same graph | {result['igraph_exact']:.2f} |",
            f"| Process ÷ igraph | {ratio:.2f}× |"
            if ratio is not None
            else "| Process ÷ igraph | |",
        ]
    )
