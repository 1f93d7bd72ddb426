"""User text is never Markdown, a link, an image, a colour or reversed text on the pages.

``ui.text.md`` is the one escaping helper for every user-derived string that reaches a
Streamlit sink rendering Markdown. These tests check the helper itself, then run every page
of the app (AppTest) on a map whose text is all payloads, and check the Markdown source of
every element that renders Markdown: the payloads never reach it unescaped. The real browser
(``test_escaping_browser.py``) checks what the same pages draw.
"""

from __future__ import annotations

import doctest
import re
import unicodedata
from dataclasses import replace
from datetime import date

import pytest
from streamlit.testing.v1 import AppTest

import ui.text
from mapping.changes.ratings import Rating
from mapping.model import Map, Relationship, Stakeholder
from mapping.storage import history, rating_store, reflections
from mapping.storage.store import Store
from tests.conftest import ROOT
from ui.routes import PAGES
from ui.text import FSI, PDI, WJ, md, message, plain

RLO, PDF = "\u202e", "\u202c"


def payloads(port: int = 9) -> dict[str, str]:
    """One payload of each kind; the addresses point at ``port`` on this computer."""
    return {
        "image": f"![i](http://127.0.0.1:{port}/img.png)",
        "link": f"[l](http://127.0.0.1:{port}/l)",
        "colour": ":red[RED]",
        "reversed": f"{RLO}evil",
        "html": "<b>bold</b>",
        "address": "x.ann-b@nhs.net www.nhs.uk",
    }


def hostile_map(port: int = 9) -> Map:
    """Payloads in every text field: names, organisations, roles, notes, perspectives, the
    map's name and description; stale ties and overdue reviews so that Needs review lists
    them, and a coalition so that the gaps quote names."""
    texts = list(payloads(port).values())
    perspectives = (*texts[:3], "clinical")
    people = tuple(
        Stakeholder(
            f"p{i}",
            f"{p} {i}",
            organisation=p,
            role=p,
            perspective=perspectives[i % len(perspectives)],
            influence=5 - i % 3,
            stance=("champion", "opposed", "neutral")[i % 3],
            coalition=i < 3,
            notes=p,
            tags=(p,),
            review_by=date(2024, 1, 1),
        )
        for i, p in enumerate(texts)
    )
    ties = tuple(
        Relationship(
            f"r{i}",
            f"p{i}",
            f"p{i + 1}",
            notes=p,
            how_we_know=p,
            last_confirmed=date(2023, 1, 1),
        )
        for i, p in enumerate(texts[:-1])
    )
    return Map(
        name=" ".join(texts),
        description=" ".join(texts),
        perspectives=perspectives,
        stakeholders=people,
        relationships=ties,
    )


def store_hostile_map(url: str, port: int = 9) -> int:
    """The hostile map in a new store, with a snapshot, a note and raters' views that carry
    the payloads too; returns the map's id."""
    store = Store(url)
    map_id = store.create_map(hostile_map(port))
    texts = list(payloads(port).values())
    history.take_snapshot(store, map_id, " ".join(texts))
    for p in texts:
        reflections.add_reflection(store, map_id, p, prompt=p, in_report=True)
        rating_store.save_rating(store, map_id, Rating(p, "p0", "stance", "opposed"))
        rating_store.save_rating(store, map_id, Rating(f"{p} too", "p0", "stance", "champion"))
    store.close()
    return map_id


# --- The helper ------------------------------------------------------------------------------

#: Characters Markdown, GitHub's extensions or Streamlit's directives give a meaning to.
SIGNIFICANT = set("\\`*_{}[]()#+-.!|<>~$:&=")


def unescaped(text: str) -> list[str]:
    """The significant characters of ``text`` that no backslash escapes."""
    found, i = [], 0
    while i < len(text):
        if text[i] == "\\":
            i += 2
            continue
        if text[i] in SIGNIFICANT:
            found.append(text[i])
        i += 1
    return found


def without_invisibles(text: str) -> str:
    """``text`` with the backslashes of escapes and the invisible characters ``md`` adds
    taken out: what a reader sees."""
    return re.sub(r"\\(.)", r"\1", text).replace(WJ, "").replace(FSI, "").replace(PDI, "")


@pytest.mark.parametrize("name", list(payloads()))
def test_every_payload_is_escaped_and_reads_as_typed(name):
    text = payloads()[name]
    shown = md(f"Dr {text} of Leeds")
    assert unescaped(shown) == []
    assert without_invisibles(shown) == f"Dr {text} of Leeds".replace(RLO, "")


def test_a_link_or_an_image_is_escaped_bracket_by_bracket():
    assert md("[l](http://h/l)") == f"\\[l\\]\\({WJ}http\\://h/l\\)"
    assert md("![i](x.png)").startswith("\\!\\[i\\]\\(")


def test_html_and_entities_are_escaped():
    assert md("<img src=x onerror=alert(1)>") == "\\<img src\\=x onerror\\=alert\\(1\\)\\>"
    # an entity would turn into the character it names, a direction control among them
    assert md("&#x202E;evil") == "\\&\\#x202E;evil"


def test_emphasis_headings_lists_and_tables_stay_text():
    for text in ("*a* _b_ **c** ~~d~~ `e`", "# Heading", "- item", "1. item", "a | b", "==="):
        assert unescaped(md(text)) == [], text


def test_streamlit_colours_emoji_icons_and_maths_stay_text():
    shown = md(":red[RED] :smile: :material/hub: $x^2$")
    assert unescaped(shown) == [] and ":red[" not in shown
    assert f":{WJ}smile\\:" in shown and f":{WJ}material/hub\\:" in shown


@pytest.mark.parametrize(
    "text",
    [
        "http://127.0.0.1:9/l",
        "HTTPS://nhs.uk",
        "www.nhs.uk",
        "a.www.nhs.uk",
        "ann@nhs.net",
        "x.ann-b@nhs.net",
        "mailto:a@b.co",
    ],
)
def test_plain_addresses_cannot_become_links(text):
    # GitHub's Markdown links these even when every character is escaped: the word joiner
    # in front means they no longer start a word.
    shown = md(f"see {text}")
    assert re.search(r"(?i)(?<!\u2060)(https?:|www\\?\.)", shown) is None
    assert re.search(r"[\w.+-]@", shown) is None
    assert without_invisibles(shown) == f"see {text}"


def test_an_override_cannot_reverse_the_words_after_the_name():
    name = f"{RLO}evil"
    for shown in (md(name), md(f"If {name} left, the coalition loses 2 people")):
        assert RLO not in shown
    assert md(f"If {name} left") == "If evil left"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # closed inside the text: kept, and the line isolated from what follows
        (f"{RLO}evil{PDF} Ann", f"{FSI}{RLO}evil{PDF} Ann{PDI}"),
        # a stray closing isolate would end the isolate around the text: dropped
        (f"a{PDI}{RLO}b", "ab"),
        # an isolate left open is dropped with what it held open
        ("\u2067x\u202bY", "xY"),
        # right-to-left letters: isolated, so they cannot turn the line around
        ("مرحبا Ann", f"{FSI}مرحبا Ann{PDI}"),
        # marks are harmless and kept
        ("a\u200fb", f"{FSI}a\u200fb{PDI}"),
    ],
)
def test_direction_controls_are_balanced_and_isolated(text, expected):
    assert md(text) == expected


def test_each_line_is_balanced_on_its_own():
    # a paragraph break ends every override: the text after it must not depend on one
    shown = md(f"a{RLO}b\n\nc{PDF}d\u2029e")
    assert RLO not in shown and PDF not in shown
    for line in re.split("[\n\u2029]", shown):
        controls = [c for c in line if unicodedata.bidirectional(c) in ("FSI", "PDI")]
        assert controls.count(FSI) == controls.count(PDI), line


def test_message_keeps_paragraphs_and_list_items_and_escapes_the_rest():
    text = "The map '![i](x)' changed.\n\nChanged on both sides:\n\n- Name: yours '[l](y)'"
    shown = message(text)
    assert shown.split("\n\n")[2].startswith("- Name\\: yours '\\[l\\]\\(y\\)'")
    assert all(unescaped(line.removeprefix("- ")) == [] for line in shown.splitlines())


def test_plain_text_sinks_get_direction_safety_only():
    assert plain("[l](x) *b*") == "[l](x) *b*"
    assert plain(f"{RLO}evil") == "evil"


def test_the_helpers_examples_run():
    result = doctest.testmod(ui.text)
    assert result.attempted > 5 and result.failed == 0


# --- Every page of the app (AppTest) ---------------------------------------------------------

#: Elements whose value Streamlit renders as Markdown.
MARKDOWN_ELEMENTS = (
    "markdown", "caption", "error", "warning", "info", "success", "header", "subheader",
    "title", "toast",
)  # fmt: skip
#: Widgets whose label (and help) Streamlit renders as Markdown.
LABELLED = (
    "button", "checkbox", "toggle", "radio", "selectbox", "multiselect", "text_input",
    "text_area", "number_input", "slider", "select_slider", "date_input", "metric",
    "expander", "tab", "button_group",
)  # fmt: skip

#: Raw payload text that must never reach Markdown: it would render as an image, a link,
#: a colour, bold text or reversed text.
FORBIDDEN = re.compile(
    r"!\[i\]\(|\[l\]\(|:red\[RED|<b>bold|\u202e"
    r"|(?<!\u2060)http\\?://127"  # the payloads' address, not kept from becoming a link
    r"|ann-b@|(?<!\u2060)www\\?\.nhs"
)


def rendered_markdown(at: AppTest) -> list[tuple[str, str]]:
    """Every (element type, Markdown source) the page would render as Markdown."""
    found = []
    for kind in MARKDOWN_ELEMENTS:
        found += [(kind, str(e.value)) for e in getattr(at, kind, [])]
    for kind in LABELLED:
        for e in at.get(kind):
            for part in ("label", "help"):
                value = getattr(e, part, None) or getattr(e.proto, part, None)
                if isinstance(value, str):
                    found.append((f"{kind}.{part}", value))
            if kind in ("radio", "select_slider", "button_group"):
                found += [(f"{kind}.option", str(o)) for o in getattr(e, "options", [])]
    return found


@pytest.fixture
def hostile_db(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'escaping.db'}"
    monkeypatch.setenv("MAPPING_DATABASE_URL", url)
    return url, store_hostile_map(url)


def start(page: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    at.switch_page(PAGES[page][0]).run()
    assert not at.exception, at.exception
    return at


def leaks(at: AppTest) -> list[tuple[str, str]]:
    return [(kind, text) for kind, text in rendered_markdown(at) if FORBIDDEN.search(text)]


@pytest.mark.parametrize("page", list(PAGES))
def test_no_page_passes_user_text_to_markdown_unescaped(hostile_db, page):
    at = start(page)
    assert leaks(at) == []
    if page in ("gaps", "my-network", "review", "map", "views"):
        # the payloads are on the page, escaped
        sources = "\n".join(text for _, text in rendered_markdown(at))
        assert "\\!\\[i\\]\\(" in sources or "\\[l\\]\\(" in sources, page


def test_a_table_edit_error_quoting_stored_names_is_escaped(hostile_db):
    _, map_id = hostile_db
    at = start("stakeholders")
    name = payloads()["image"]
    at.session_state[f"stakeholders-error-{map_id}"] = (
        f"Row 2: the name {name} is taken.\n- Row 3: {RLO}evil is blank"
    )
    at.run()
    [error] = at.error
    assert FORBIDDEN.search(error.value) is None
    assert "- Row 3\\: evil is blank" in error.value


def test_a_save_conflict_quoting_the_other_users_value_is_escaped(hostile_db):
    url, map_id = hostile_db
    at = start("settings")
    theirs = payloads()["link"] + " " + payloads()["image"]
    store = Store(url)  # someone else renames the map while the page is open
    store.save_map(map_id, replace(store.load_map(map_id), name=theirs))
    store.close()
    [name] = [t for t in at.text_input if t.label == "Name"]
    name.input("My own name")
    [save] = [b for b in at.button if b.label == "Save name and description"]
    save.click().run()
    assert at.error, "the clash is reported"
    text = "\n".join(e.value for e in at.error)
    assert FORBIDDEN.search(text) is None
    assert "\\[l\\]\\(" in text, "the message quotes their value"
