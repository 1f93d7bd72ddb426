"""Hostile input never executes: one payload set through every place user text appears.

Other test files already send HTML payloads through the map, the report's text, the
spreadsheet writers and the XML readers. This file adds what they leave out:

- Markdown payloads (an image that would load from outside, a ``javascript:`` link) and HTML
  payloads on every page of the running app, in its sidebar, its messages and the links
  people share (view settings in the address);
- the exported HTML report and SVG picture opened as files in Chromium;
- every spreadsheet the app writes, cell by cell, with text that starts like a formula;
- Excel workbooks whose XML declares entities (billion laughs, external files);
- the secure settings of ``.streamlit/config.toml``.
"""

from __future__ import annotations

import base64
import csv
import http.client
import io
import re
import tomllib
import zipfile
from datetime import date
from urllib.parse import quote, urlparse

import openpyxl
import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from mapping.analysis.gaps import analyse
from mapping.changes.ratings import Rating
from mapping.drawing.picture import map_svg
from mapping.errors import FormatError
from mapping.io import formats
from mapping.io.safety import DEFAULT_LIMITS, FORMULA_START
from mapping.model import Map, Relationship, Stakeholder
from mapping.report.html import report_html
from mapping.storage import history, rating_store, reflections
from mapping.storage.store import Store
from tests.browser import (
    ROOT,
    browser_page,
    outside_requests,
    require_chromium,
    running_app,
    wait_idle,
)

# TEST-NET-3 (RFC 5737): never routed, so a request to it can only be a leak.
OUTSIDE = "203.0.113.7"
SCRIPT = "<script>window.__pwned=1</script>"
IMG = '<img src=x onerror="window.__pwned=1">'
MD_IMAGE = f"![pixel](http://{OUTSIDE}/pixel.png)"
MD_LINK = "[open me](javascript:window.__pwned=1)"
HTML_LINK = '<a href="javascript:window.__pwned=1">open me</a>'
FORMULA = f'=HYPERLINK("http://{OUTSIDE}/","x")'
PAYLOADS = (SCRIPT, IMG, MD_IMAGE, MD_LINK, HTML_LINK, FORMULA)
TODAY = date(2026, 12, 1)

PAGES = (
    "start", "map", "stakeholders", "relationships", "gaps", "what-if", "my-network",
    "history", "review", "views", "import-export", "settings", "methods",
)  # fmt: skip


def hostile_map(name: str = MD_IMAGE + " " + SCRIPT) -> Map:
    """Every payload in every text field: names, organisations, roles, notes, tags, ties."""
    people = tuple(
        Stakeholder(
            f"p{i}",
            f"{p} {i}",
            organisation=p,
            role=p,
            perspective=("clinical", "provider", "commissioner")[i % 3],
            influence=5 - i % 3,
            stance=("champion", "opposed", "neutral")[i % 3],
            coalition=i % 2 == 0,
            notes=p,
            tags=(p,),
            custom={"Field": p},
        )
        for i, p in enumerate(PAYLOADS)
    )
    ties = tuple(
        Relationship(f"r{i}", f"p{i}", f"p{i + 1}", notes=p, how_we_know=p)
        for i, p in enumerate(PAYLOADS[:-1])
    )
    return Map(
        name=name,
        description=" ".join(PAYLOADS),
        stakeholders=people,
        relationships=ties,
    )


# --- The running app -------------------------------------------------------------------------


def inert(page, requests: list[str], dialogs: list[str], where: str) -> None:
    """No payload ran, loaded anything or became a live link anywhere on the page (a
    ``javascript:`` link, or one to the outside address, which GitHub-flavoured Markdown
    would make of a plain address even with every character escaped)."""
    from playwright.sync_api import Error as PlaywrightError

    for frame in page.frames:
        try:
            found = frame.evaluate(
                """(outside) => ({
                    pwned: window.__pwned ?? null,
                    js: [...document.querySelectorAll('a[href]')]
                        .map(a => a.getAttribute('href'))
                        .filter(h => /^\\s*javascript:/i.test(h) || h.includes(outside)),
                    img: [...document.querySelectorAll('img[src]')]
                        .map(i => i.getAttribute('src'))
                        .filter(s => s.includes(outside) || s === 'x'),
                })""",
                OUTSIDE,
            )
        except PlaywrightError as err:  # an iframe replaced by the last rerun
            if "detached" in str(err):
                continue
            raise
        assert found == {"pwned": None, "js": [], "img": []}, where
    assert outside_requests(requests) == [], where
    assert dialogs == [], where


@pytest.fixture(scope="module")
def hostile_app(tmp_path_factory):
    require_chromium()
    url = f"sqlite:///{tmp_path_factory.mktemp('hostile') / 'hostile.db'}"
    store = Store(url)
    gone = store.create_map(hostile_map(MD_IMAGE + " deleted " + MD_LINK))
    history.delete_map_keeping_history(store, gone)
    map_id = store.create_map(hostile_map())
    sid = history.take_snapshot(store, map_id, MD_IMAGE + " " + HTML_LINK)
    for p in PAYLOADS:
        reflections.add_reflection(store, map_id, p, prompt=p, snapshot_id=sid, in_report=True)
        rating_store.save_rating(store, map_id, Rating(p, "p0", "stance", "opposed"))
    store.close()
    with running_app(url) as base:
        yield base, url, map_id


def visit(page, url: str) -> None:
    page.goto(url)
    wait_idle(page)


@pytest.mark.browser
def test_every_page_keeps_markdown_and_html_payloads_inert(hostile_app):
    base, _, _ = hostile_app
    with browser_page(viewport={"width": 1400, "height": 1000}) as (page, requests):
        dialogs: list[str] = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        for path in PAGES:
            visit(page, f"{base}/{path}")
            inert(page, requests, dialogs, path)
        visit(page, f"{base}/reflect")
        for section in ("What changed", "Where views differ", "Activity", "Reflection log"):
            page.get_by_role("radio", name=section).click()
            wait_idle(page)
            inert(page, requests, dialogs, f"reflect: {section}")
        # the payloads show as the text people typed (with an invisible word joiner before
        # the address, which keeps it from becoming a link)
        assert MD_IMAGE in page.locator("body").inner_text().replace("\u2060", "")


@pytest.mark.browser
def test_the_sidebar_and_messages_keep_payloads_inert(hostile_app):
    base, db_url, map_id = hostile_app
    with browser_page(viewport={"width": 1400, "height": 1000}) as (page, requests):
        dialogs: list[str] = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        visit(page, f"{base}/stakeholders")
        # a deleted map's name on its restore button
        page.get_by_text("Deleted maps (1)").click()
        wait_idle(page)
        inert(page, requests, dialogs, "deleted maps")
        # the name in the delete warning
        page.get_by_text("Rename, duplicate or delete").click()
        ask = page.get_by_role("button", name="Delete this map…")
        ask.wait_for()
        for _ in range(3):  # on a loaded machine a click sent mid-rerun can be dropped
            ask.click()
            wait_idle(page)
            try:
                page.get_by_role("button", name="Cancel").wait_for(timeout=20_000)
                break
            except PlaywrightTimeout:
                continue
        page.get_by_role("button", name="Cancel").wait_for()
        inert(page, requests, dialogs, "delete warning")
        page.get_by_role("button", name="Cancel").click()
        # the run that removes the warning re-draws the forms below it: wait for it to end
        # before typing, or what is typed can be drawn over
        page.get_by_role("button", name="Cancel").wait_for(state="detached")
        wait_idle(page)
        # a saved change: its message (a toast) and the sidebar's undo button quote the name
        page.get_by_text("Add a stakeholder").click()
        page.get_by_label("Name *").fill(MD_IMAGE)
        for _ in range(3):  # as above; a second click on a form already saved adds no one
            page.get_by_role("button", name="Add stakeholder").click()
            try:
                page.get_by_text("Saved: add").wait_for(timeout=15_000)
                break
            except PlaywrightTimeout:
                continue
        wait_idle(page)
        assert page.get_by_role("button", name=re.compile("^Undo: add")).count() == 1
        inert(page, requests, dialogs, "toast and undo")
        store = Store(db_url)
        assert [s.name for s in store.load_map(map_id).stakeholders].count(MD_IMAGE) == 1
        store.close()


@pytest.mark.browser
@pytest.mark.parametrize("setting", ["coalition", "steps", "focus", "perspectives", "layout"])
def test_a_shared_link_with_payloads_in_its_view_settings_stays_inert(hostile_app, setting):
    base, _, _ = hostile_app
    with browser_page() as (page, requests):
        dialogs: list[str] = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        for payload in (MD_IMAGE, MD_LINK, SCRIPT):
            visit(page, f"{base}/?{setting}={quote(payload)}")
            inert(page, requests, dialogs, f"{setting}={payload}")


# --- Exported files opened in Chromium --------------------------------------------------------


def open_file(tmp_path, name: str, content: str) -> str:
    """Open an exported file in Chromium, check it stays inert, and return its text."""
    require_chromium()
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with browser_page() as (page, requests):
        dialogs: list[str] = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.goto(path.as_uri())
        page.wait_for_load_state("load")
        inert(page, requests, dialogs, name)
        assert [u for u in requests if u != path.as_uri()] == []
        return page.locator("body").inner_text() if name.endswith(".html") else ""


@pytest.mark.browser
def test_the_exported_html_report_runs_nothing_and_loads_nothing(tmp_path):
    m = hostile_map()
    page = report_html(
        m, analyse(m, today=TODAY), today=TODAY, include_notes=True, reflections=PAYLOADS
    )
    text = open_file(tmp_path, "report.html", page)
    for payload in PAYLOADS:
        assert payload in text, payload


@pytest.mark.browser
def test_the_exported_svg_picture_runs_nothing_and_loads_nothing(tmp_path):
    open_file(tmp_path, "map.svg", map_svg(hostile_map(), today=TODAY))


# --- Spreadsheets, cell by cell ---------------------------------------------------------------

_PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def formula_map() -> Map:
    """Text that starts like a formula in every field a spreadsheet holds."""
    starts = [f"{c}cmd|' /C calc'!A0" for c in FORMULA_START] + [FORMULA]
    people = tuple(
        Stakeholder(
            f"f{i}",
            text,
            organisation=text,
            role=text,
            notes=text,
            tags=(text,),
            custom={"Field": text},
            influence=5,
            coalition=i == 0,
        )
        for i, text in enumerate(starts)
    )
    ties = tuple(
        Relationship(f"t{i}", f"f{i}", f"f{i + 1}", notes=text, how_we_know=text)
        for i, text in enumerate(starts[:-1])
    )
    return Map(name=FORMULA, description=FORMULA, stakeholders=people, relationships=ties)


def runs_as_formula(text: str) -> bool:
    return text.startswith(FORMULA_START) and not _PLAIN_NUMBER.fullmatch(text)


@pytest.mark.parametrize("fmt", ["excel", "kumu-xlsx"])
def test_no_workbook_cell_can_run_as_a_formula(fmt):
    m = formula_map()
    data = formats.write_file(m, fmt, findings=analyse(m, today=TODAY).findings)
    book = openpyxl.load_workbook(io.BytesIO(data))
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    risky = [c for c in cells if isinstance(c.value, str) and runs_as_formula(c.value)]
    assert risky, "the map's text reached the workbook"
    assert [f"{c.parent.title}!{c.coordinate}" for c in risky if not c.quotePrefix] == []


def test_no_csv_cell_can_run_as_a_formula():
    data = formats.write_file(formula_map(), "csv-zip")
    seen = 0
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if not name.endswith(".csv"):
                continue
            text = archive.read(name).decode("utf-8-sig")
            for row in csv.reader(io.StringIO(text, newline="")):
                for cell in row:
                    seen += FORMULA in cell
                    assert not runs_as_formula(cell), (name, cell)
    assert seen, "the map's text reached the CSV files"


# --- XML inside uploaded workbooks -----------------------------------------------------------

LAUGHS = (
    '<!DOCTYPE w [<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
    '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">'
    '<!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;"><!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">]>',
    "&f;",
)
EXTERNAL = ('<!DOCTYPE w [<!ENTITY x SYSTEM "file:///etc/passwd">]>', "&x;")


def with_doctype(data: bytes, member: str, doctype: str, use: str) -> bytes:
    """The workbook with ``doctype`` declared in one XML part and its entity used there."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for name in source.namelist():
            part = source.read(name).decode("utf-8")
            if name == member:
                declaration = ""
                if part.startswith("<?xml"):
                    declaration, part = part.split("?>", 1)
                    declaration += "?>"
                part = re.sub(r'(name|r:id|t)="', rf'\1="{use}', part, count=1)
                part = declaration + doctype + part
            target.writestr(name, part)
    return out.getvalue()


@pytest.mark.parametrize("fmt", ["excel", "kumu-xlsx"])
@pytest.mark.parametrize("member", ["xl/workbook.xml", "xl/worksheets/sheet1.xml"])
@pytest.mark.parametrize(("doctype", "use"), [LAUGHS, EXTERNAL], ids=["laughs", "external"])
def test_workbooks_whose_xml_declares_entities_are_refused(fmt, member, doctype, use):
    m = Map(name="M", stakeholders=(Stakeholder("a", "Ann"), Stakeholder("b", "Bo")))
    data = with_doctype(formats.write_file(m, fmt), member, doctype, use)
    with pytest.raises(FormatError, match=f"DOCTYPE section \\({re.escape(member)}\\)"):
        formats.read_file("upload.xlsx", data)


# --- Secure settings --------------------------------------------------------------------------


def test_streamlit_config_has_the_secure_settings():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["browser"]["gatherUsageStats"] is False
    assert config["client"]["showErrorDetails"] == "none"
    server = config["server"]
    assert server["enableXsrfProtection"] is True
    assert server.get("enableCORS", True) is True
    assert server["address"] == "localhost", "single-user mode serves only this computer"
    assert server["headless"] is True
    # Streamlit counts megabytes of 2**20 bytes; the readers' own limit (10**6) refuses first,
    # with a message that says how big the file is and what to do.
    cap = server["maxUploadSize"] * 1024 * 1024
    assert DEFAULT_LIMITS.max_bytes <= cap < DEFAULT_LIMITS.max_bytes * 1.1
    assert set(server["allowedHosts"]) == {"localhost", "127.0.0.1", "::1"}


def upgrade_status(base: str, host: str) -> int:
    """The status of a websocket handshake with the app, sent with this ``Host`` header."""
    parsed = urlparse(base)
    connection = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=10)
    connection.putrequest("GET", "/_stcore/stream", skip_host=True)
    for name, value in (
        ("Host", host),
        ("Origin", f"http://{host}"),
        ("Upgrade", "websocket"),
        ("Connection", "Upgrade"),
        ("Sec-WebSocket-Key", base64.b64encode(b"coalition-mapper").decode()),
        ("Sec-WebSocket-Version", "13"),
        ("Sec-WebSocket-Protocol", "streamlit"),
    ):
        connection.putheader(name, value)
    connection.endheaders()
    status = connection.getresponse().status
    connection.close()
    return status


@pytest.mark.browser
def test_a_page_under_another_host_name_cannot_reach_the_app(hostile_app):
    """DNS rebinding: a hostile site that resolves to this computer gets no websocket."""
    base, _, _ = hostile_app
    port = urlparse(base).port
    assert upgrade_status(base, f"127.0.0.1:{port}") == 101
    assert upgrade_status(base, f"rebind.attacker.example:{port}") != 101


def test_the_repository_holds_no_secrets_file():
    assert not (ROOT / ".streamlit" / "secrets.toml").exists()
    ignored = (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert ".streamlit/secrets.toml" in ignored
