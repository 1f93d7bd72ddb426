"""The command line: analyse a map file, convert between formats."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from mapping.errors import MappingError

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m mapping",
        description="Coalition Mapper: analyse and convert stakeholder maps.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    analyse = commands.add_parser(
        "analyse", help="print the coalition's gaps and findings for a map file"
    )
    analyse.add_argument("file", type=Path, help="a map file (project JSON, GraphML, …)")
    analyse.add_argument("--json", action="store_true", help="print JSON instead of text")
    analyse.add_argument(
        "--today", type=date.fromisoformat, default=None, help="date to judge staleness by"
    )
    convert = commands.add_parser(
        "convert", help="convert a map file; formats come from the file extensions"
    )
    convert.add_argument("input", type=Path)
    convert.add_argument("output", type=Path)
    return parser


def _read(path: Path):
    from mapping.io.formats import read_file

    try:
        data = path.read_bytes()
    except OSError as err:
        msg = f"Cannot read {path}: {err.strerror}."
        raise MappingError(msg) from None
    return read_file(path.name, data)


def _analyse(args: argparse.Namespace) -> int:
    from mapping.analysis.gaps import analyse
    from mapping.settings import Settings

    m = _read(args.file)
    report = analyse(m, Settings(), today=args.today or date.today())
    if args.json:
        print(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    else:
        print(report.to_text())
    return 0


def _convert(args: argparse.Namespace) -> int:
    from mapping.io.formats import format_for, write_file

    m = _read(args.input)
    data = write_file(m, format_for(args.output.name))
    args.output.write_bytes(data)
    print(
        f"Wrote {args.output} ({len(m.stakeholders)} stakeholders, "
        f"{len(m.relationships)} relationships)."
    )
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status (errors: one line on stderr, status 1)."""
    args = _parser().parse_args(argv)
    try:
        if args.command == "analyse":
            return _analyse(args)
        return _convert(args)
    except MappingError as err:
        print(f"error: {' '.join(str(err).split())}", file=sys.stderr)
        return 1
