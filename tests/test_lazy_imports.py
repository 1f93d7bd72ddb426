"""The command line's analysis loads no more than it needs: pandas only where a table is built."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from mapping.demo.synthetic import synthetic_map
from mapping.io.xml.graphml import write_graphml

ROOT = Path(__file__).resolve().parent.parent

PROBE = """
import contextlib, io, json, sys
from mapping.cli import main
out = io.StringIO()
with contextlib.redirect_stdout(out):
    code = main(["analyse", sys.argv[1], "--json", "--today", "2026-01-01"])
report = json.loads(out.getvalue())
print(code, "pandas" in sys.modules, len(report["brokers"]), len(report["grid"]))
"""


def test_analyse_json_never_imports_pandas(tmp_path):
    path = tmp_path / "map.graphml"
    path.write_bytes(write_graphml(synthetic_map(40, seed=1)))
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    assert done.stdout.split() == ["0", "False", "40", "40"]


def test_the_report_tables_are_built_when_asked_for():
    from datetime import date

    from mapping.analysis.gaps import analyse

    report = analyse(synthetic_map(30, seed=2), today=date(2026, 1, 1))
    assert report.brokers["id"].tolist() == [p.id for p in report.broker_positions]
    assert report.grid["id"].tolist() == [r.id for r in report.grid_rows]
    assert report.brokers is report.brokers
