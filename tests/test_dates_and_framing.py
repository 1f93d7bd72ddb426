"""Ties dated like the form; ties never confirmed handled once; the launcher's frame headers."""

from __future__ import annotations

import asyncio
import json
import re
from datetime import date

from defusedxml import ElementTree
from streamlit.testing.v1 import AppTest

from mapping.analysis import investment, quality
from mapping.analysis.quality import is_stale
from mapping.changes.edit import apply_relationship_edits, relationships_frame, stakeholder_labels
from mapping.changes.review import RELATIONSHIP, needs_review, stale_ties
from mapping.demo.sample import load_sample
from mapping.drawing.picture import map_svg
from mapping.drawing.render import render_html
from mapping.model import Map, Relationship, Stakeholder
from tests.conftest import ROOT
from ui.framing import FRAME_HEADERS, FrameGuard

TODAY = date(2026, 12, 1)
LONG_AGO = date(2024, 1, 1)


def people() -> tuple[Stakeholder, ...]:
    return (
        Stakeholder("a", "Ann", "ICB", stance="champion", perspective="clinical", influence=5),
        Stakeholder("b", "Bo", "ICB", stance="supporter", perspective="clinical", influence=5),
        Stakeholder("c", "Cy", "ICB", stance="supporter", perspective="clinical"),
        Stakeholder("d", "Di", "ICB", stance="supporter", perspective="clinical"),
    )


def three_undated() -> Map:
    """Three strong ties with no date (as imported) and one confirmed long ago."""
    ties = (
        Relationship("r1", "a", "b", strength=5),
        Relationship("r2", "b", "c", strength=4),
        Relationship("r3", "c", "d", strength=4),
        Relationship("r4", "a", "d", strength=4, last_confirmed=LONG_AGO),
    )
    return Map("M", stakeholders=people(), relationships=ties)


# --- Ties added in the table are dated like the form -----------------------------------------


def added(m: Map, row: dict, **kw) -> Relationship:
    new = apply_relationship_edits(
        m, {"edited_rows": {}, "added_rows": [row], "deleted_rows": []}, **kw
    )
    [tie] = [r for r in new.relationships if r.id not in {r.id for r in m.relationships}]
    return tie


def test_a_tie_added_in_the_table_was_confirmed_today():
    m = Map("M", stakeholders=people())
    labels = stakeholder_labels(m)
    row = {"From": labels["a"], "To": labels["b"], "Type": "collaborates", "Strength": 3}
    assert added(m, row, today=TODAY).last_confirmed == TODAY
    assert added(m, row).last_confirmed == date.today()  # the clock's today by default
    assert added(m, {**row, "Last confirmed": None}, today=TODAY).last_confirmed == TODAY


def test_a_date_given_in_a_new_row_is_kept():
    m = Map("M", stakeholders=people())
    labels = stakeholder_labels(m)
    row = {"From": labels["a"], "To": labels["b"], "Last confirmed": "2025-03-04"}
    assert added(m, row, today=TODAY).last_confirmed == date(2025, 3, 4)


def test_editing_an_existing_row_keeps_its_date_or_lack_of_one():
    m = three_undated()
    assert relationships_frame(m)["Last confirmed"].tolist()[3] is not None
    edits = {"edited_rows": {0: {"Strength": 2}, 3: {"Notes": "met"}}, "added_rows": []}
    new = apply_relationship_edits(m, edits, today=TODAY)
    assert [r.last_confirmed for r in new.relationships] == [None, None, None, LONG_AGO]
    assert (new.relationships[0].strength, new.relationships[3].notes) == (2, "met")
    cleared = apply_relationship_edits(
        m, {"edited_rows": {3: {"Last confirmed": None}}}, today=TODAY
    )
    assert cleared.relationships[3].last_confirmed is None  # the user's own change stands


# --- Ties never confirmed: not stale, one finding, not listed unless asked -------------------


def edges_of(page: str) -> list[dict]:
    found = re.search(r'<script type="application/json" id="cm-edges">(.*?)</script>', page, re.S)
    assert found, "no edges in the page"
    return json.loads(found.group(1))


def test_a_tie_never_confirmed_is_not_stale_on_the_map_or_the_picture():
    m = three_undated()
    assert [is_stale(r.last_confirmed, TODAY) for r in m.relationships] == [
        False,
        False,
        False,
        True,
    ]
    edges = edges_of(render_html(m, today=TODAY))
    assert [e["dashes"] for e in edges] == [False, False, False, [3, 5]]
    assert [e["color"]["opacity"] for e in edges] == [0.85, 0.85, 0.85, 0.45]
    root = ElementTree.fromstring(map_svg(m, today=TODAY).encode("utf-8"))
    ties = [e for e in root.iter() if e.get("class") == "tie"]
    assert [t.get("stroke-dasharray") is not None for t in ties] == [False, False, False, True]


def test_ties_never_confirmed_make_exactly_one_finding():
    m = three_undated()
    found = quality.findings(m, TODAY)
    never = [f for f in found if f.code == "quality.never-confirmed"]
    assert len(never) == 1
    assert never[0].title == "3 relationships never confirmed"
    assert never[0].evidence["count"] == 3
    assert never[0].evidence["subjects"] == ["r1", "r2", "r3"]
    [stale] = [f for f in found if f.code == "quality.stale"]
    assert stale.evidence["subjects"] == ["r4"]  # the undated ties are not stale as well
    # nor does the investment analysis count them again: Ann-Bo joins two key players
    gaps = investment.ties_needing_investment(m, TODAY)
    assert [(t.relationships, t.stale) for t in gaps] == [(("r4",), True)]


def test_needs_review_lists_ties_never_confirmed_only_when_asked():
    m = three_undated()
    default = [i.subject for i in needs_review(m, TODAY) if i.kind == RELATIONSHIP]
    assert default == ["r4"]
    asked = needs_review(m, TODAY, include_unconfirmed=True)
    assert [i.subject for i in asked if i.kind == RELATIONSHIP] == ["r4", "r1", "r2", "r3"]
    assert [i.status for i in asked if i.subject == "r1"] == ["never confirmed"]
    assert stale_ties(m, TODAY) == [("a", "d")]


def test_the_sample_keeps_its_deliberate_gap_as_one_finding():
    sample = load_sample()
    never = [r.id for r in sample.relationships if r.last_confirmed is None]
    found = [f for f in quality.findings(sample, TODAY) if f.code == "quality.never-confirmed"]
    assert [sorted(f.evidence["subjects"]) for f in found] == [sorted(never)]


def test_the_review_page_lists_ties_never_confirmed_behind_a_toggle(db_url):
    never = {r.id for r in load_sample().relationships if r.last_confirmed is None}
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.run()
    at.switch_page("ui/pages/review.py").run()
    assert not at.exception and not at.error

    def listed() -> set[str]:
        prefix = "confirm-relationship-"
        return {b.key.removeprefix(prefix) for b in at.button if (b.key or "").startswith(prefix)}

    assert listed() and not listed() & never
    assert any(f"{len(never)} relationships never confirmed are not listed" in c.value
               for c in at.caption)  # fmt: skip
    at.toggle(key="review-unconfirmed").set_value(True).run()
    assert not at.exception and not at.error
    while more := [
        b for b in at.button if b.label.startswith("Show ") and b.label.endswith(" more")
    ]:
        more[0].click().run()  # the list, page by page
    assert never <= listed()


# --- The launcher's frame protection (without a server; the browser test serves it) ----------


def run_guarded(scope_type: str, start_headers: list[tuple[bytes, bytes]]) -> list[dict]:
    sent: list[dict] = []

    async def inner(scope, receive, send) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": start_headers})
        await send({"type": "http.response.body", "body": b"ok"})

    async def receive() -> dict:
        return {"type": "http.request"}

    async def send(message) -> None:
        sent.append(message)

    asyncio.run(FrameGuard(inner)({"type": scope_type}, receive, send))
    return sent


def test_every_http_response_gets_one_frame_policy():
    start = run_guarded("http", [(b"content-type", b"text/html"), (b"X-Frame-Options", b"DENY")])
    headers = start[0]["headers"]
    assert (b"content-type", b"text/html") in headers
    assert [h for h in headers if h[0].lower() in {n for n, _ in FRAME_HEADERS}] == list(
        FRAME_HEADERS
    )
    assert dict(FRAME_HEADERS)[b"content-security-policy"] == b"frame-ancestors 'self'"
    assert start[1]["body"] == b"ok"


def test_other_connections_pass_through_untouched():
    start = run_guarded("websocket", [(b"content-type", b"text/plain")])
    assert start[0]["headers"] == [(b"content-type", b"text/plain")]
