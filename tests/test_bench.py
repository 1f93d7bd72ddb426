"""The benchmark: synthetic maps shaped like real ones, its table, and a smoke run of it all."""

from __future__ import annotations

from collections import Counter

import pytest

from mapping.bench import report
from mapping.bench.peers import agreement
from mapping.bench.run import run_benchmark
from mapping.cli import main
from mapping.demo.synthetic import synthetic_map
from mapping.model import DEFAULT_PERSPECTIVES, validate_map

# --- synthetic maps -------------------------------------------------------------------------


@pytest.mark.parametrize("n", [100, 1000])
def test_synthetic_maps_are_valid_seeded_and_sized(n):
    m = synthetic_map(n, seed=7)
    validate_map(m)
    assert len(m.stakeholders) == n and len(m.relationships) == 5 * n
    assert synthetic_map(n, seed=7) == m
    assert synthetic_map(n, seed=8) != m
    assert len({s.name for s in m.stakeholders}) == n


def test_synthetic_maps_look_like_real_ones():
    m = synthetic_map(2000, seed=1)
    perspective = {s.id: s.perspective for s in m.stakeholders}
    within = sum(perspective[r.source] == perspective[r.target] for r in m.relationships)
    assert 0.7 <= within / len(m.relationships) <= 0.9
    assert set(perspective.values()) == set(DEFAULT_PERSPECTIVES)
    assert {r.strength for r in m.relationships} == {1, 2, 3, 4, 5}
    degree = Counter(e for r in m.relationships for e in (r.source, r.target))
    assert max(degree.values()) >= 4 * (2 * len(m.relationships) / len(m.stakeholders))
    assert 0.03 <= sum(s.coalition for s in m.stakeholders) / len(m.stakeholders) <= 0.15
    pairs = {frozenset((r.source, r.target)) for r in m.relationships}
    assert len(pairs) == len(m.relationships)


@pytest.mark.parametrize(("n", "ties"), [(0, 0), (1, 0), (2, 0), (4, 3)])
def test_tiny_synthetic_maps(n, ties):
    m = synthetic_map(n)
    assert len(m.stakeholders) == n and len(m.relationships) == ties


def test_a_negative_size_is_refused():
    with pytest.raises(ValueError, match="0 or more"):
        synthetic_map(-1)


# --- table ----------------------------------------------------------------------------------


def test_table_has_a_column_per_size_and_shows_ratios_and_skips_empty_rows():
    results = [
        {"people": 300, "ties": 1500, "analysis": 0.12, "html": 0.02, "betweenness": 0.05,
         "nx_betweenness": 0.9, "igraph_betweenness": 0.02, "export:gexf": 0.04,
         "betweenness_method": "exact", "peak_mb": 300.4},
        {"people": 5000, "ties": 25000, "analysis": 2.5, "html": 0.8, "betweenness": 1.4,
         "nx_betweenness": 140.0, "nx_scaled": True, "betweenness_method": "sampled",
         "betweenness_sources": 600, "pyvis_timeout": 120.0, "pyvis_first_draw": None,
         "first_draw": 2.0},
    ]  # fmt: skip
    text = report.table(results)
    lines = {line.split(" | ")[0].lstrip("| "): line for line in text.splitlines()}
    assert text.splitlines()[0] == "| Step | 300 people | 5,000 people |"
    assert lines["Analysis + map HTML"].endswith("| 140 ms | 3.30 s |")
    assert lines["Betweenness: NetworkX exact ÷ ours"].endswith("| 18.0× | 100× |")
    assert "140 s (est.)" in lines["Peer: NetworkX exact betweenness"]
    assert "sampled, 600 starts" in lines["Betweenness method"]
    assert "> 120 s (stopped)" in lines["Peer: pyvis default physics, first draw"]
    assert "> 60×" in lines["First draw: pyvis default ÷ ours"]
    assert "Export: gexf" in lines and "Page rerun" not in text


def test_targets_say_what_was_reached_and_whether_it_was_met():
    results = [
        {"people": 300, "analysis": 0.2, "html": 0.05, "rerun_map_edit": 0.1},
        {"people": 5000, "analysis": 1.5, "igraph_betweenness": 3.0, "first_draw": None},
        {"people": 20000, "peak_mb": 1200.0, "analysis": 25.0, "first_draw_focused": 0.4},
    ]
    rows = report.targets(results).splitlines()[2:]
    assert rows == [
        "| 300 | Whole analysis plus map HTML under 150 ms | 250 ms | not met |",
        "| 300 | Map page rerun after an edit under 300 ms | 100 ms | met |",
        "| 5,000 | Whole analysis under 2 s | 1.50 s | met |",
        "| 5,000 | Whole analysis faster than igraph's exact betweenness alone | 0.50 × igraph | met |",
        "| 20,000 | Whole analysis under 30 s (the report has a progress callback) | 25.00 s | met |",
        "| 20,000 | Peak memory under 2 GB (whole run of the size) | 1.17 GB | met |",
        "| 20,000 | The app opens on a focused view, drawn under 5 s | 400 ms | met |",
    ]
    assert report.targets([{"people": 100, "analysis": 0.1}]) == ""


def test_durations_and_agreement_read_plainly():
    assert [report.seconds(s) for s in (0.0004, 0.25, 12.345, 250)] == [
        "0 ms",
        "250 ms",
        "12.35 s",
        "250 s",
    ]
    assert agreement({"a": 1.0, "b": 2.0, "c": 3.0}, {"a": 3.0, "b": 2.0, "c": 1.0}, 1) == (
        0,
        -1.0,
    )


def test_machine_description_names_what_matters():
    about = report.machine()
    assert {"CPU", "CPU cores", "Memory", "Python", "Libraries", "Chromium"} <= set(about)
    assert "networkx" in about["Libraries"]


def test_bench_sizes_must_be_numbers(capsys):
    with pytest.raises(SystemExit):
        main(["bench", "--sizes", "a,b"])
    assert "whole numbers" in capsys.readouterr().err


# --- smoke run ------------------------------------------------------------------------------


def test_benchmark_runs_at_the_smallest_size_and_writes_its_table(tmp_path, capsys):
    out = tmp_path / "BENCHMARKS.md"
    status = main(
        ["bench", "--sizes", "100", "--repeats", "1", "--output", str(out),
         "--pyvis-timeout", "1", "--no-clicks", "--cli-people", "60"]
    )  # fmt: skip
    assert status == 0
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# Benchmarks")
    assert "## The command line at scale" in text
    assert "| 60 people, 300 ties (GraphML" in text
    assert "| The whole `python -m mapping analyse FILE --json` process |" in text
    assert "| Step | 100 people |" in text
    for row in ("Whole coalition analysis", "Map HTML", "Import from CSV", "Load from SQLite",
                "Peer: NetworkX exact betweenness", "Peak memory"):  # fmt: skip
        assert f"| {row}" in text, row
    assert "CPU cores" in text
    printed = capsys.readouterr().out
    assert "| Step | 100 people |" in printed


def test_run_benchmark_returns_results_without_writing(tmp_path):
    [result] = run_benchmark(
        [30], repeats=1, output=None, peers=False, browser=False, app=False, log=lambda s: None
    )
    assert result["people"] == 30 and result["analysis"] > 0
    assert result["peak_mb"] > 0 and not list(tmp_path.iterdir())
