"""The common actions of the click benchmark, each timed from its input to a settled page.

Each action opens its page, prepares what it needs outside the timing (fills a form, opens
a list, presses the mouse on a person), and times only the input that makes the app work:
the button, the option, the key or the release. An action whose controls cannot be found
is reported as not measured, with the reason, rather than stopping the run.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from mapping.bench.click_tab import ClickRow, Tab, make_row

__all__ = ["ACTIONS", "action_rows"]

#: Takes a tab and a number of repeats; gives the times (ms) and bytes of each repeat.
Action = Callable[[Tab, int], tuple[list[float], list[int]]]

#: A map frame drawn and still (``window.coalitionMap`` is the map page's own handle).
_DRAWN = """() => [...document.querySelectorAll('iframe')].some((f) => {
    try { const m = f.contentWindow.coalitionMap; return !!(m && m.drawn && m.frozen); }
    catch (e) { return false; }
})"""

#: Marks an input by hand, for inputs the page's listener cannot see (a mouse release).
_INPUT_NOW = "() => window.__bench.input()"


def _timed_all(tab: Tab, prepare: Callable[[int], Callable[[], None]], repeats: int):
    """Run ``prepare(i)`` untimed on the settled page, then time the act it returns,
    ``repeats`` times."""
    times, sizes = [], []
    for i in range(repeats):
        tab.idle()
        took, sent = tab.timed(prepare(i))
        times.append(took)
        sizes.append(sent)
    return times, sizes


def _open(tab: Tab, label: str) -> Any:
    """Open the select box labelled ``label``; return its options."""
    options = tab.page.get_by_role("option")
    for _ in range(3):  # a box still being drawn (a form just opened or cleared) stays shut
        tab.page.get_by_label(label, exact=True).click()
        try:
            options.first.wait_for(timeout=5_000)
            break
        except Exception:  # shut: open it again (the option click says if it never opens)
            continue
    return options


def _choose(tab: Tab, label: str, option: int) -> Callable[[], None]:
    """Open the select box labelled ``label``; return the click on its ``option``-th
    visible option (the box opened again if a late redraw shut it meanwhile)."""
    _open(tab, label)

    def click() -> None:
        for _ in range(2):
            try:
                tab.page.get_by_role("option").nth(option).click(timeout=5_000)
                return
            except Exception:  # shut by a redraw: open it again
                _open(tab, label)
        tab.page.get_by_role("option").nth(option).click()

    return click


def _pick(tab: Tab, label: str, option: int) -> None:
    """Choose the ``option``-th visible option of the select box labelled ``label``."""
    _choose(tab, label, option)()


def add_stakeholder(tab: Tab, repeats: int):
    """Fill the add form's name, then press "Add stakeholder"."""
    page = tab.page
    tab.open("stakeholders")

    def prepare(i: int) -> Callable[[], None]:
        field = page.get_by_label("Name *").first  # the add form comes first
        if not field.is_visible():
            page.get_by_text("Add a stakeholder").first.click()
            field.wait_for(state="visible", timeout=30_000)
        field.fill(f"Benchmark person {i + 1}")
        return lambda: page.get_by_role("button", name="Add stakeholder").first.click()

    return _timed_all(tab, prepare, repeats)


def edit_cell(tab: Tab, repeats: int):
    """Open a person's name in the Stakeholders table, add a letter, then press Enter."""
    tab.open("stakeholders")
    return edit_grid(tab, repeats)


def edit_grid(tab: Tab, repeats: int):
    """In the page's first table, open a cell of the first column, add a letter, then press
    Enter (timed from that last key); each time another row."""
    page = tab.page

    def edit(i: int) -> Callable[[], None]:
        def act() -> None:  # timed from its last key, the Enter that ends the edit
            grid = page.locator("[data-testid='stDataFrame']").first
            grid.scroll_into_view_if_needed()
            box = grid.bounding_box()
            assert box is not None, "the table is not on the page"
            row = 2 + i % 4  # below the header (and the toolbar); rows of 35 pixels
            page.wait_for_timeout(300)  # the new table takes its rows after the page settles
            page.mouse.dblclick(box["x"] + 60, box["y"] + 35 * row + 17)  # the first column
            cell = page.locator("textarea.gdg-input")  # the cell's editor
            cell.wait_for(state="visible", timeout=10_000)
            cell.fill(cell.input_value() + " x")
            page.keyboard.press("Enter")

        return act

    return _timed_all(tab, edit, repeats)


def add_relationship(tab: Tab, repeats: int):
    """Choose two people in the Relationships form, then press "Add relationship"."""
    page = tab.page
    tab.open("relationships")

    def prepare(i: int) -> Callable[[], None]:
        if not page.get_by_label("From *", exact=True).is_visible():
            page.get_by_text("Add a relationship").first.click()  # opens the form
        _pick(tab, "From *", i)
        _pick(tab, "To *", i + 3)
        return page.get_by_role("button", name="Add relationship", exact=True).click

    return _timed_all(tab, prepare, repeats)


def drag_person(tab: Tab, repeats: int):
    """Press the mouse on a person on the map and move them, then release (the release is
    timed: the page saves everyone's place)."""
    page = tab.page
    tab.open()

    def prepare(i: int) -> Callable[[], None]:
        page.wait_for_function(_DRAWN, timeout=60_000, polling=50)
        frame_element = page.locator("iframe").first.element_handle()
        frame_element.scroll_into_view_if_needed()
        box = frame_element.bounding_box()
        frame = frame_element.content_frame()
        assert box is not None and frame is not None, "the map is not on the page"
        x, y = frame.evaluate(
            """(i) => {
                const m = window.coalitionMap, net = m.network;
                const id = m.nodes.getIds()[i % m.nodes.length];
                const p = net.canvasToDOM(net.getPositions([id])[id]);
                const b = document.getElementById('mynetwork').getBoundingClientRect();
                return [b.left + p.x, b.top + p.y];
            }""",
            i,
        )
        page.mouse.move(box["x"] + x, box["y"] + y)
        page.mouse.down()
        for step in range(1, 11):
            page.mouse.move(box["x"] + x + 4 * step, box["y"] + y + 2 * step)

        def release() -> None:
            page.evaluate(_INPUT_NOW)
            page.mouse.up()

        return release

    return _timed_all(tab, prepare, repeats)


def change_layout(tab: Tab, repeats: int):
    """Switch the map between its layouts."""
    page = tab.page
    tab.open()
    names = ("By perspective", "Power / interest grid", "Network")
    return _timed_all(tab, lambda i: page.get_by_role("radio", name=names[i % 3]).click, repeats)


def my_network(tab: Tab, repeats: int):
    """Open "Whose network?" on My network, then choose another person."""
    tab.open("my-network")

    def prepare(i: int) -> Callable[[], None]:
        return _choose(tab, "Whose network?", i + 1)

    return _timed_all(tab, prepare, repeats)


def what_if(tab: Tab, repeats: int):
    """Choose one more person who leaves, then press "Compare"."""
    page = tab.page
    tab.open("what-if")

    def prepare(i: int) -> Callable[[], None]:
        _pick(tab, "Who leaves?", 0)
        page.keyboard.press("Escape")
        return page.get_by_role("button", name="Compare", exact=True).click

    return _timed_all(tab, prepare, repeats)


def confirm_review(tab: Tab, repeats: int):
    """Press "Mark as confirmed today" on the first row of Needs review."""
    page = tab.page
    tab.open("review")
    button = page.get_by_role("button", name="Mark as confirmed today").first
    return _timed_all(tab, lambda i: button.click, repeats)


def add_reflection(tab: Tab, repeats: int):
    """Write a note in the reflection log, then press "Add note"."""
    page = tab.page
    tab.open("reflect")
    tab.timed(page.get_by_role("radio", name="Reflection log").click)

    def prepare(i: int) -> Callable[[], None]:
        page.get_by_placeholder("What did you notice? What will you do?").fill(f"Note {i + 1}")
        return page.get_by_role("button", name="Add note", exact=True).click

    return _timed_all(tab, prepare, repeats)


#: Each action's row name and how it is done, in the order they run.
ACTIONS: tuple[tuple[str, Action], ...] = (
    ("Add a stakeholder", add_stakeholder),
    ("Edit a table cell", edit_cell),
    ("Add a relationship", add_relationship),
    ("Drag a person on the map", drag_person),
    ("Change the map's layout", change_layout),
    ("Pick a person in My network", my_network),
    ("Compare in What if", what_if),
    ("Confirm a review", confirm_review),
    ("Add a reflection", add_reflection),
)


def action_rows(tab: Tab, map_name: str, repeats: int, floor: float) -> list[ClickRow]:
    """A row per action of :data:`ACTIONS` on the app open in ``tab``."""
    rows = []
    for step, action in ACTIONS:
        try:
            times, sizes = action(tab, repeats)
            rows.append(make_row(map_name, step, times, sizes, floor))
        except Exception as err:  # an action that cannot be done is reported, not fatal
            rows.append(ClickRow(map_name, step, None, None, None, floor, str(err)[:80]))
    return rows
