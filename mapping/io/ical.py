"""The engagement plan's due dates as an iCalendar file (RFC 5545) that Outlook opens.

One all-day ``VEVENT`` per action with a due date; text is escaped (backslash, semicolon,
comma, line breaks) and every line folded at 75 octets, never inside a UTF-8 character,
with CRLF line ends, as RFC 5545 section 3.1 asks.

>>> from mapping.model.actions import PlannedAction
>>> a = PlannedAction("a-1", "Meet Cat; agree terms, then report", due=date(2026, 4, 1))
>>> text = plan_ics([a, PlannedAction("a-2", "Someday")], {}, stamp=datetime(2026, 3, 2, tzinfo=UTC))
>>> text.count("BEGIN:VEVENT"), "SUMMARY:Meet Cat\\\\; agree terms\\\\, then report" in text
(1, True)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime, timedelta

from mapping.model.actions import DROPPED, PlannedAction, expected_text, who_text

__all__ = ["escape_text", "fold", "plan_ics"]

PRODID = "-//Coalition Mapper//Engagement plan//EN"
LIMIT = 75


def escape_text(text: str) -> str:
    r"""A TEXT value escaped as RFC 5545 section 3.3.11 says.

    >>> escape_text("a\\b;c,d\r\ne")
    'a\\\\b\\;c\\,d\\ne'
    """
    text = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return text.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def fold(line: str) -> str:
    """One content line folded into lines of at most 75 octets (CRLF, then a space), never
    splitting a UTF-8 character.

    >>> folded = fold("SUMMARY:" + "é" * 60)
    >>> [len(part.encode()) for part in folded.split("\\r\\n")]
    [74, 55]
    """
    parts: list[str] = []
    current, size = "", 0
    for ch in line:
        width = len(ch.encode("utf-8"))
        room = LIMIT if not parts else LIMIT - 1  # continuation lines start with a space
        if size + width > room:
            parts.append(current)
            current, size = "", 0
        current += ch
        size += width
    parts.append(current)
    return "\r\n ".join(parts)


def _day(d: date) -> str:
    return d.strftime("%Y%m%d")


def plan_ics(
    actions: Iterable[PlannedAction],
    names: Mapping[str, str],
    *,
    stamp: datetime | None = None,
    calendar_name: str = "Engagement plan",
) -> str:
    """The plan's due dates as iCalendar text: one all-day event per dated action, its
    summary the action, its description who acts, with whom and the change expected (a done
    action says so in its description; a dropped one is cancelled)."""
    now = (stamp or datetime.now(UTC)).astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(calendar_name)}",
    ]
    for a in actions:
        if a.due is None:
            continue
        details = [f"Who acts: {who_text(a, names)}"]
        if a.with_whom:
            details.append("With: " + ", ".join(names.get(p, p) for p in a.with_whom))
        details.extend(f"Expected: {expected_text(e, names)}" for e in a.expected)
        if a.finding_title:
            details.append(f"From the finding: {a.finding_title}")
        details.append(f"Status: {a.status}")
        lines += [
            "BEGIN:VEVENT",
            f"UID:{escape_text(a.id)}@coalition-mapper",
            f"DTSTAMP:{now}",
            f"DTSTART;VALUE=DATE:{_day(a.due)}",
            f"DTEND;VALUE=DATE:{_day(a.due + timedelta(days=1))}",
            f"SUMMARY:{escape_text(a.what)}",
            f"DESCRIPTION:{escape_text(chr(10).join(details))}",
            "TRANSP:TRANSPARENT",
        ]
        if a.status == DROPPED:
            lines.append("STATUS:CANCELLED")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
