"""The command line: analyse a map file, convert between formats, run the benchmarks, back up."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from mapping.errors import MappingError

if TYPE_CHECKING:
    from mapping.model.actions import PlannedAction

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m mapping",
        description="Coalition Mapper: analyse and convert stakeholder maps.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    reading = argparse.ArgumentParser(add_help=False)
    reading.add_argument(
        "--add-unknown-perspectives",
        action="store_true",
        help="a spreadsheet or CSV may name perspectives beyond the default ones: add them "
        "(as 'add as new' does in the import page's matching step) instead of refusing the file",
    )
    reading.add_argument(
        "--match",
        metavar="KIND:VALUE=MEANING",
        action="append",
        type=_match,
        default=[],
        help="read a value a spreadsheet or CSV uses as one Coalition Mapper knows, as the "
        "import page's matching step does; KIND is perspective, stance, type, coalition or "
        "directed; MEANING '+' adds a perspective or type as new, nothing reads it as blank "
        "(for example --match 'perspective:Social care=local authority & social care'); "
        "may be repeated",
    )
    reading.add_argument(
        "--skip-bad-rows",
        metavar="REFUSED.csv",
        type=Path,
        default=None,
        help="read the good rows of a spreadsheet or CSV and write the rows left out, with "
        "a Problem column, to REFUSED.csv (one file per sheet: REFUSED-2.csv…) to fix and "
        "read again",
    )
    analyse = commands.add_parser(
        "analyse", parents=[reading], help="print the coalition's gaps and findings for a map file"
    )
    analyse.add_argument("file", type=Path, help="a map file (project JSON, GraphML, …)")
    analyse.add_argument("--json", action="store_true", help="print JSON instead of text")
    analyse.add_argument(
        "--today", type=date.fromisoformat, default=None, help="date to judge staleness by"
    )
    convert = commands.add_parser(
        "convert",
        parents=[reading],
        help="convert a map file, or draw it (.html interactive map, .svg picture); "
        "formats come from the file extensions",
    )
    convert.add_argument("input", type=Path)
    convert.add_argument("output", type=Path)
    convert.add_argument(
        "--no-notes",
        action="store_true",
        help="leave out notes, 'how we know' and custom fields (kept by default)",
    )
    convert.add_argument(
        "--pseudonymise",
        metavar="KEY.csv",
        type=Path,
        default=None,
        help="replace names with codes (P001…, O01…) and write the key to KEY.csv",
    )
    report = commands.add_parser(
        "report",
        parents=[reading],
        help="write the board-ready coalition report (.pdf or .html by extension)",
    )
    report.add_argument("file", type=Path, help="a map file (project JSON, GraphML, …)")
    report.add_argument("output", type=Path, help="the report to write: NAME.pdf or NAME.html")
    report.add_argument("--today", type=date.fromisoformat, default=None, help="the report's date")
    report.add_argument(
        "--include-notes", action="store_true", help="include private notes on people named"
    )
    database = argparse.ArgumentParser(add_help=False)
    database.add_argument(
        "--database",
        metavar="URL",
        default=None,
        help="database URL (default: MAPPING_DATABASE_URL, else the app's own SQLite file)",
    )
    backup = commands.add_parser(
        "backup",
        parents=[database],
        help="write every map, snapshot, note and rating, and the settings, to one file",
    )
    backup.add_argument("output", type=Path, help="the backup file to write (JSON)")
    restore = commands.add_parser(
        "restore",
        parents=[database],
        help="bring back a backup: its maps are added beside the ones there",
    )
    restore.add_argument("file", type=Path, help="a backup file written by 'backup'")
    restore.add_argument(
        "--replace",
        action="store_true",
        help="first remove every map, its history and the settings (the database becomes the backup)",
    )
    bench = commands.add_parser(
        "bench", help="time every step on synthetic maps of several sizes; write BENCHMARKS.md"
    )
    bench.add_argument(
        "--sizes",
        type=_sizes,
        default=None,
        help="comma-separated numbers of stakeholders (default: 100,300,1000,5000,20000)",
    )
    bench.add_argument("--repeats", type=int, default=3, help="runs per step (median)")
    bench.add_argument("--output", type=Path, default=Path("BENCHMARKS.md"))
    bench.add_argument("--json", type=Path, default=None, help="also save the raw results here")
    bench.add_argument("--no-peers", action="store_true", help="skip NetworkX, igraph, pyvis")
    bench.add_argument("--no-browser", action="store_true", help="skip headless Chromium")
    bench.add_argument("--no-app", action="store_true", help="skip Streamlit page reruns")
    bench.add_argument(
        "--no-clicks",
        action="store_true",
        help="skip timing clicks in the app in a real browser (the sample map and 300 people)",
    )
    bench.add_argument(
        "--cli-people",
        type=int,
        default=5000,
        help="people on the GraphML file the whole `analyse --json` process is timed on, beside "
        "igraph's exact betweenness (0 skips it; default 5000)",
    )
    bench.add_argument(
        "--pyvis-timeout", type=float, default=120.0, help="seconds to wait for pyvis to draw"
    )
    return parser


def _sizes(text: str) -> tuple[int, ...]:
    try:
        sizes = tuple(int(part.replace("_", "")) for part in text.split(",") if part.strip())
    except ValueError:
        msg = f"--sizes takes whole numbers separated by commas, such as 100,300; got {text!r}."
        raise argparse.ArgumentTypeError(msg) from None
    if not sizes or min(sizes) < 3:
        msg = f"--sizes needs at least one size of 3 or more stakeholders; got {text!r}."
        raise argparse.ArgumentTypeError(msg)
    return sizes


def _match(text: str) -> tuple[str, str, str]:
    from mapping.io.matching import parse_match

    try:
        return parse_match(text)
    except ValueError as err:
        raise argparse.ArgumentTypeError(str(err)) from None


def _read(path: Path, args: argparse.Namespace):
    from mapping.io.formats import detect_format, read_file

    try:
        data = path.read_bytes()
    except OSError as err:
        msg = f"Cannot read {path}: {err.strerror}."
        raise MappingError(msg) from None
    if detect_format(path.name, data).name in ("csv", "csv-zip", "excel"):
        return _read_table(path, data, args)
    if detect_format(path.name, data).name in ("kumu-json", "kumu-xlsx"):
        from mapping.io.kumu import import_kumu

        result = import_kumu(path.name, data)
        _print_notes(path, result.notes)
        return result.map
    return read_file(path.name, data)


def _print_notes(path: Path, notes: Sequence[str]) -> None:
    """What the import did besides reading, as the import page shows it: one line per note
    on stderr, so that what the command prints (``analyse --json``) stays clean."""
    for note in notes:
        print(f"note: {path.name}: {' '.join(note.split())}", file=sys.stderr)


def _read_table(path: Path, data: bytes, args: argparse.Namespace):
    """A spreadsheet or CSV read with the choices given (--match), its bad rows left out and
    written to a file when asked (--skip-bad-rows)."""
    from mapping.errors import ValidationError
    from mapping.io import tabular_import
    from mapping.io.matching import merge_choices

    choices = merge_choices(*({kind: {key: to}} for kind, key, to in args.match))
    tables = tabular_import.gather([(path.name, data)])
    _print_notes(path, tables.notes)
    perspectives, types = tabular_import.vocabulary(tables)
    problem = tabular_import.unmatched(
        tabular_import.find_unknowns(tables, perspectives, types), choices
    )
    if problem:
        raise ValidationError(problem)
    outcome = tabular_import.read_tables(
        tables,
        choices=choices,
        add_unknown_perspectives=args.add_unknown_perspectives,
        skip_bad_rows=args.skip_bad_rows is not None,
    )
    if outcome.refused:
        files = tabular_import.refused_files(tables, outcome.refused)
        target = args.skip_bad_rows
        written = []
        for i, (_, content) in enumerate(files, 1):
            out = target if i == 1 else target.with_name(f"{target.stem}-{i}{target.suffix}")
            _write(out, content)
            written.append(str(out))
        print(
            f"Left out {len(outcome.refused)} rows with problems; they are in "
            f"{' and '.join(written)} with a Problem column: fix them there and read that again.",
            file=sys.stderr,
        )
    return outcome.map


#: Above this many people, ``analyse --json`` writes its JSON on one line (see docs/analysis-json.md).
PRETTY_PEOPLE = 1000


def _analyse(args: argparse.Namespace) -> int:
    from mapping.analysis.gaps import analyse
    from mapping.model.settings import Settings

    m = _read(args.file, args)
    report = analyse(m, Settings(), today=args.today or date.today())
    if args.json:
        # indented for people up to PRETTY_PEOPLE; above, one line: the C encoder is ~8x faster
        indent = 2 if len(m.stakeholders) <= PRETTY_PEOPLE else None
        print(json.dumps(report.to_dict(), ensure_ascii=False, indent=indent))
    else:
        print(report.to_text())
    return 0


#: Outputs that are drawings of the map rather than map data, by extension.
PICTURES = {".html": "an interactive map", ".htm": "an interactive map", ".svg": "a picture"}


def _convert(args: argparse.Namespace) -> int:
    from mapping.changes.privacy import key_csv, redact
    from mapping.io.formats import format_for, write_file

    m = _read(args.input, args)
    shared, key = redact(
        m,
        include_notes=not args.no_notes,
        include_custom=not args.no_notes,
        pseudonymise=args.pseudonymise is not None,
    )
    suffix = args.output.suffix.lower()
    if suffix in PICTURES:
        data = _drawing(shared, suffix)
    else:
        data = write_file(shared, format_for(args.output.name))
    _write(args.output, data)
    if args.pseudonymise is not None:
        _write(args.pseudonymise, key_csv(key))
    what = f"{PICTURES[suffix]} of " if suffix in PICTURES else ""
    print(
        f"Wrote {args.output}: {what}{len(m.stakeholders)} stakeholders, "
        f"{len(m.relationships)} relationships."
        + (f" The key to the codes is in {args.pseudonymise}: keep it apart." if key else "")
    )
    return 0


def _drawing(m, suffix: str) -> bytes:
    """The map as the app draws it for taking away: the offline page or the SVG picture."""
    if suffix == ".svg":
        from mapping.drawing.picture import map_svg

        return map_svg(m, today=date.today()).encode("utf-8")
    from mapping.drawing.render import render_html

    return render_html(m, physics=False, standalone=True, today=date.today()).encode("utf-8")


def _write(path: Path, data: bytes) -> None:
    try:
        path.write_bytes(data)
    except OSError as err:
        msg = f"Cannot write {path}: {err.strerror}."
        raise MappingError(msg) from None


def _report(args: argparse.Namespace) -> int:
    from mapping.analysis.gaps import analyse
    from mapping.model.settings import Settings
    from mapping.report.html import report_html
    from mapping.report.pdf import report_pdf

    suffix = args.output.suffix.lower()
    if suffix not in (".pdf", ".html", ".htm"):
        msg = f"Cannot tell the report's format from {args.output.name!r}; name it .pdf or .html."
        raise MappingError(msg)
    m = _read(args.file, args)
    today = args.today or date.today()
    analysis = analyse(m, Settings(), today=today)
    plan = _plan(args.file)
    if suffix == ".pdf":
        data = report_pdf(m, analysis, today=today, include_notes=args.include_notes, plan=plan)
    else:
        html = report_html(m, analysis, today=today, include_notes=args.include_notes, plan=plan)
        data = html.encode("utf-8")
    args.output.write_bytes(data)
    print(f"Wrote {args.output} ({len(analysis.findings)} findings).")
    return 0


def _bench(args: argparse.Namespace) -> int:
    from mapping.bench import SIZES, run_benchmark
    from mapping.bench.run import CLICK_MAPS

    run_benchmark(
        args.sizes or SIZES,
        repeats=args.repeats,
        output=args.output,
        peers=not args.no_peers,
        browser=not args.no_browser,
        app=not args.no_app,
        pyvis_timeout_s=args.pyvis_timeout,
        raw=args.json,
        clicks=() if args.no_clicks else CLICK_MAPS,
        command_line=args.cli_people or None,
    )
    return 0


def _plan(path: Path) -> tuple[PlannedAction, ...]:
    """The engagement plan a project file carries (none for other files)."""
    from mapping.io import project_json

    if path.suffix.lower() != ".json":
        return ()
    try:
        return project_json.loads_plan(path.read_bytes(), filename=path.name)[1]
    except MappingError:  # another kind of JSON (Kumu, node-link): it holds no plan
        return ()


def _backup(args: argparse.Namespace) -> int:
    from mapping.storage.backup import backup, read_backup
    from mapping.storage.store import Store

    store = Store(args.database)
    try:
        data = backup(store)
    finally:
        store.close()
    partial = args.output.with_name(args.output.name + ".partial")
    try:
        partial.write_bytes(data)
        partial.replace(args.output)
    except OSError as err:
        msg = f"Cannot write {args.output}: {err.strerror}."
        raise MappingError(msg) from None
    print(f"Wrote {args.output} ({read_backup(data)}).")
    return 0


def _restore(args: argparse.Namespace) -> int:
    from mapping.storage.backup import restore_backup
    from mapping.storage.store import Store

    try:
        data = args.file.read_bytes()
    except OSError as err:
        msg = f"Cannot read {args.file}: {err.strerror}."
        raise MappingError(msg) from None
    store = Store(args.database)
    try:
        summary = restore_backup(store, data, replace=args.replace)
    finally:
        store.close()
    how = "in place of everything that was there" if args.replace else "beside the maps there"
    print(f"Restored {summary} from {args.file}, {how}.")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status (errors: one line on stderr, status 1)."""
    args = _parser().parse_args(argv)
    try:
        if args.command == "analyse":
            return _analyse(args)
        if args.command == "backup":
            return _backup(args)
        if args.command == "restore":
            return _restore(args)
        if args.command == "bench":
            return _bench(args)
        if args.command == "report":
            return _report(args)
        return _convert(args)
    except MappingError as err:
        print(f"error: {' '.join(str(err).split())}", file=sys.stderr)
        return 1
