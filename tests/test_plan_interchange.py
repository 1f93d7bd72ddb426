"""The engagement plan leaves the app: CSV, Excel and an iCalendar file of due dates."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from datetime import UTC, date, datetime

import icalendar
import openpyxl

from mapping.io.ical import plan_ics
from mapping.io.plan_table import PLAN_COLUMNS, plan_csv, plan_excel
from mapping.model.actions import DONE, DROPPED, STRENGTH, ActionNote, Expected, PlannedAction

TODAY = date(2026, 3, 2)


def actions() -> list[PlannedAction]:
    long = "Zoë Fairweather; agree the winter plan, then write to the board " * 3
    return [
        PlannedAction(
            "a-1",
            long.strip(),
            actor="ann",
            with_whom=("cat",),
            due=date(2026, 4, 1),
            expected=(Expected(STRENGTH, "ann", 4, other="cat", before=2),),
            notes=(ActionNote(TODAY, "me", "Line one\nline two, with a comma"),),
        ),
        PlannedAction("a-2", '=HYPERLINK("http://x")', colleague="Sam", due=date(2026, 2, 1)),
        PlannedAction("a-3", "No date yet", actor="bob"),
        PlannedAction("a-4", "Dropped one", due=date(2026, 5, 1), status=DROPPED),
        PlannedAction("a-5", "Done one", due=date(2026, 1, 5), status=DONE, done_on=TODAY),
    ]


def test_ics_parses_with_one_event_per_dated_action(small_map):
    text = plan_ics(actions(), small_map.names(), stamp=datetime(2026, 3, 2, 9, tzinfo=UTC))
    raw = text.encode("utf-8")
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))
    assert b"\n" not in raw.replace(b"\r\n", b"")
    cal = icalendar.Calendar.from_ical(raw)
    events = cal.walk("VEVENT")
    assert [str(e["UID"]) for e in events] == [
        "a-1@coalition-mapper",
        "a-2@coalition-mapper",
        "a-4@coalition-mapper",
        "a-5@coalition-mapper",
    ]
    first = events[0]
    assert str(first["SUMMARY"]) == actions()[0].what
    assert first.decoded("DTSTART") == date(2026, 4, 1)
    assert first.decoded("DTEND") == date(2026, 4, 2)
    assert str(first["DESCRIPTION"]).splitlines() == [
        "Who acts: Ann Clark",
        "With: Cat Jones",
        "Expected: tie Ann Clark – Cat Jones to strength 4",
        "Status: planned",
    ]
    assert str(events[2]["STATUS"]) == "CANCELLED"
    assert str(events[1]["SUMMARY"]) == '=HYPERLINK("http://x")'


def test_csv_and_excel_neutralise_formulas_and_put_overdue_first(small_map):
    rows = list(csv.reader(io.StringIO(plan_csv(actions(), small_map, TODAY))))
    assert rows[0] == list(PLAN_COLUMNS)
    assert [(r[0][:10], r[4]) for r in rows[1:]] == [
        ("'=HYPERLIN", "planned"),
        ("Zoë Fairwe", "planned"),
        ("No date ye", "planned"),
        ("Done one", "done"),
        ("Dropped on", "dropped"),
    ]
    assert rows[1][0] == '\'=HYPERLINK("http://x")'
    assert rows[1][5] == "yes"
    assert rows[2][1:4] == ["Ann Clark", "Cat Jones", "2026-04-01"]
    assert rows[2][10] == "2026-03-02 me: Line one\nline two, with a comma"
    wb = openpyxl.load_workbook(io.BytesIO(plan_excel(actions(), small_map, TODAY)))
    ws = wb["Engagement plan"]
    values = [[c.value for c in row] for row in ws.iter_rows()]
    assert values[0] == list(PLAN_COLUMNS)
    assert values[1][0] == '\'=HYPERLINK("http://x")'
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)
    done = replace(actions()[4], expected=(Expected(STRENGTH, "ann", 4, other="bob"),))
    (row,) = list(csv.reader(io.StringIO(plan_csv([done], small_map, TODAY))))[1:]
    assert row[7] == "reached"  # Ann Clark – Dr Bob Singh is already 4
