"""The map page: self-contained, user text only as text, and the agreed visual encodings."""

from __future__ import annotations

import dataclasses
import json
import re
from dataclasses import replace
from datetime import date
from html.parser import HTMLParser

import pytest
from markupsafe import escape

from mapping.drawing.encoding import PALETTE, STANCE_SHAPES, LegendItem, legend
from mapping.drawing.layout import grid_layout
from mapping.drawing.render import PHYSICS_LIMIT, relayout, render_html, safe_json
from mapping.drawing.vis_library import vis_files
from mapping.errors import ValidationError
from mapping.model import Map, Relationship, Stakeholder

SCRIPT = "<script>window.__pwned=1</script>"
IMG = '<img src=x onerror="window.__pwned=1">'
QUOTES = '"quotes\' & href="javascript:window.__pwned=1"'
RTL = "\u202eexe.lmth \u05e9\u05dc\u05d5\u05dd"
PAYLOADS = (SCRIPT, IMG, QUOTES, RTL)


def xss_map() -> Map:
    """Hostile text in every field a user can type into."""
    people = (
        Stakeholder(
            "s1",
            SCRIPT,
            organisation=IMG,
            role=RTL,
            perspective=IMG,
            notes=f"{SCRIPT} secret note",
            tags=(IMG, QUOTES),
            coalition=True,
        ),
        Stakeholder(
            "s2", QUOTES, organisation=RTL, role=SCRIPT, perspective="clinical", stance="champion"
        ),
        Stakeholder("s3", RTL, organisation=QUOTES, perspective=SCRIPT, notes=IMG),
    )
    ties = (
        Relationship("r1", "s1", "s2", SCRIPT, 4, how_we_know=IMG, notes="private tie note"),
        Relationship("r2", "s2", "s3", "collaborates", 2, directed=True, notes=QUOTES),
    )
    return Map(
        name=SCRIPT,
        description=IMG,
        perspectives=(IMG, "clinical", SCRIPT),
        relationship_types=("collaborates", SCRIPT),
        stakeholders=people,
        relationships=ties,
    )


def page_data(page: str) -> tuple[list[dict], list[dict], dict]:
    """The nodes, edges and settings embedded in a rendered page."""

    def block(name: str):
        found = re.search(
            rf'<script type="application/json" id="cm-{name}">(.*?)</script>', page, re.S
        )
        assert found, f"no cm-{name} block"
        return json.loads(found.group(1))

    return block("nodes"), block("edges"), block("meta")


def by_label(nodes: list[dict]) -> dict[str, dict]:
    return {n["label"]: n for n in nodes}


class Loads(HTMLParser):
    """Every attribute of the page that could make the browser fetch something."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("src", "href", "srcset", "action", "data", "poster", "background"):
                self.found.append((tag, name, value or ""))


def own_part(page: str) -> str:
    """The page without the inlined vis-network library."""
    js, css = vis_files()
    return page.replace(str(js), "").replace(str(css), "")


def test_page_is_one_complete_document_with_vis_network_inlined(small_map):
    page = render_html(small_map)
    js, css = vis_files()
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    assert str(js) in page and str(css) in page
    assert '<meta charset="utf-8">' in page


def test_page_loads_nothing_from_outside(small_map):
    page = render_html(small_map, standalone=True)
    parser = Loads()
    parser.feed(page)
    assert parser.found == []  # no <script src>, <link href>, <img src>...
    assert not re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", page, re.I)
    assert all(u.startswith("data:") for u in re.findall(r"url\(\s*[\"']?([^\"')]*)", page))
    lowered = page.lower()
    for name in ("<link", "@import", "bootstrap", "tom-select", "cdnjs", "jsdelivr", "utils.js"):
        assert name not in lowered


def test_user_text_is_never_raw_html():
    page = render_html(xss_map(), standalone=True, include_fields=("notes", "organisation"))
    for raw in (SCRIPT, IMG, QUOTES, "<script>window.__pwned", 'onerror="window'):
        assert raw not in page
    # The page's own script elements: vis-network, three data blocks, the page script.
    assert own_part(page).count("<script") == 5


def test_user_text_arrives_intact_as_data_and_as_escaped_page_text():
    m = xss_map()
    page = render_html(m, standalone=True)
    nodes, edges, meta = page_data(page)
    assert [n["label"] for n in nodes] == [SCRIPT, QUOTES, RTL]
    assert meta["ids"] == {"n0": "s1", "n1": "s2", "n2": "s3"}
    assert f"Organisation: {IMG}" in nodes[0]["title"]
    assert edges[0]["title"].startswith(f"{SCRIPT} ↔ {QUOTES}\n{SCRIPT}, strength 4 of 5")
    for text in (SCRIPT, IMG):  # map name, description, perspectives in the legend
        assert str(escape(text)) in page
    assert f"<title>{escape(SCRIPT)}</title>" in page
    assert f"<h1><bdi>{escape(SCRIPT)}</bdi></h1>" in page


def test_a_name_containing_href_does_not_switch_tooltips_to_html():
    page = render_html(xss_map())
    nodes, _, _ = page_data(page)
    assert "href" in nodes[1]["title"]
    mine = own_part(page)
    assert "innerHTML" not in mine
    assert "div.popup" not in mine  # pyvis's HTML-tooltip mode
    assert "textContent" in mine


def test_private_notes_stay_out_of_the_page_unless_asked_for():
    m = xss_map()
    plain = render_html(m)
    for private in ("secret note", "private tie note", f"How we know: {IMG}"):
        assert json.dumps(private)[1:-1] not in plain and private not in plain
    nodes, edges, _ = page_data(render_html(m, include_fields=("notes", "how_we_know")))
    assert nodes[0]["title"].endswith(f"Notes: {SCRIPT} secret note\nIn the coalition")
    assert edges[0]["title"].endswith(f"How we know: {IMG}\nNotes: private tie note")


def test_tooltips_show_only_the_chosen_fields(small_map):
    nodes, _, _ = page_data(render_html(small_map, include_fields=("role",)))
    assert nodes[0]["title"] == "Ann Clark\nRole: Director of Strategy\nIn the coalition"
    nodes, _, _ = page_data(render_html(small_map))
    assert nodes[5]["title"] == (
        "Fay Brown\nOrganisation: Carers Together\nRole: Coordinator\n"
        "Perspective: patient & carer\nStance: unknown\nInfluence: 2 of 5\nInterest: 5 of 5"
    )


def test_unknown_fields_are_refused_with_the_choices(small_map):
    with pytest.raises(ValidationError, match=r"'custom'.*choose from organisation, role"):
        render_html(small_map, include_fields=("custom",))


def test_nodes_and_ties_carry_only_drawing_fields(small_map):
    nodes, edges, _ = page_data(render_html(small_map))
    node_keys = {
        "id",
        "label",
        "title",
        "shape",
        "color",
        "size",
        "borderWidth",
        "shapeProperties",
        "font",
        "x",
        "y",
        "physics",
    }
    edge_keys = {"id", "from", "to", "title", "width", "color", "dashes", "arrows", "smooth"}
    assert all(set(n) <= node_keys for n in nodes)
    assert all(set(e) <= edge_keys for e in edges)
    assert [n["id"] for n in nodes] == [f"n{i}" for i in range(6)]
    assert len(edges) == len(small_map.relationships)


def test_colour_follows_the_maps_perspective_order(small_map):
    nodes = by_label(page_data(render_html(small_map))[0])
    order = list(small_map.perspectives)
    for s in small_map.stakeholders:
        expected = PALETTE[order.index(s.perspective)][0]
        assert nodes[s.name]["color"]["background"] == expected


def test_shape_follows_stance_and_size_follows_influence(small_map):
    nodes = by_label(page_data(render_html(small_map))[0])
    for s in small_map.stakeholders:
        assert nodes[s.name]["shape"] == STANCE_SHAPES[s.stance][0]
    sizes = {s.influence: nodes[s.name]["size"] for s in small_map.stakeholders}
    assert sizes[2] < sizes[4] < sizes[5]
    assert len({STANCE_SHAPES[s][0] for s in STANCE_SHAPES}) == len(STANCE_SHAPES)


def test_coalition_members_have_a_thick_dark_outline(small_map):
    nodes = by_label(page_data(render_html(small_map))[0])
    for s in small_map.stakeholders:
        node = nodes[s.name]
        assert (node["borderWidth"] == 3) is s.coalition
        assert (node["color"]["border"] == "#111111") is s.coalition


def test_perspectives_beyond_the_palette_cycle_with_a_different_border():
    names = tuple(f"p{i}" for i in range(10))
    people = (Stakeholder("a", "Ann", perspective="p0"), Stakeholder("i", "Ian", perspective="p8"))
    m = Map(name="M", perspectives=names, stakeholders=people)
    nodes = by_label(page_data(render_html(m))[0])
    assert nodes["Ann"]["color"]["background"] == nodes["Ian"]["color"]["background"]
    assert "shapeProperties" not in nodes["Ann"]  # solid, the default
    assert nodes["Ian"]["shapeProperties"]["borderDashes"] == [2, 2]
    items = [i for i in legend(m) if i.kind == "perspective"]
    assert items[8].description == "orange fill, dotted border"
    assert items[0].dashes == () and items[8].dashes == (2, 2)


def test_tie_width_direction_conflict_and_staleness(small_map):
    fresh = date(2026, 10, 1)  # r1 was confirmed on 2026-09-01; the others never
    edges = {e["id"]: e for e in page_data(render_html(small_map, today=fresh))[1]}
    r1, r2, r5 = edges["e0"], edges["e1"], edges["e4"]
    assert [edges[f"e{i}"]["width"] for i in range(5)] == [4.0, 2.0, 3.0, 5.0, 2.0]
    assert r1["dashes"] is False and r1["color"]["opacity"] == 0.85
    assert r1["arrows"] == "" and r2["arrows"] == "to"
    # never confirmed is not stale: drawn like any other tie (one-way here)
    assert r2["dashes"] is False and r2["color"]["opacity"] == 0.85
    assert r5["color"]["color"] == "#C00000"
    # One staleness rule everywhere (mapping.analysis.quality.is_stale): due on the anniversary.
    late = {e["id"]: e for e in page_data(render_html(small_map, today=date(2027, 9, 1)))[1]}
    assert late["e0"]["dashes"] == [3, 5]  # twelve months to the day: stale
    on_time = page_data(render_html(small_map, today=date(2027, 8, 31)))[1]
    assert on_time[0]["dashes"] is False


def test_staleness_counts_calendar_months_even_from_a_leap_day(small_map):
    def dashes(confirmed: date) -> object:
        m = small_map.with_relationships(
            [Relationship("t", "ann", "bob", last_confirmed=confirmed)]
        )
        return page_data(render_html(m, today=date(2028, 2, 29)))[1][0]["dashes"]

    assert dashes(date(2027, 3, 1)) is False
    assert dashes(date(2027, 2, 28)) == [3, 5]  # due on 28 February 2028, the day before


def test_a_confirmed_conflict_is_red_and_dashed(small_map):
    m = small_map.with_relationships(
        [Relationship("c", "bob", "cat", "conflict", 3, last_confirmed=date(2026, 9, 1))]
    )
    edge = page_data(render_html(m, today=date(2026, 9, 2)))[1][0]
    assert edge["color"]["color"] == "#C00000" and edge["dashes"] == [10, 6]


def test_parallel_ties_are_both_drawn_and_curved_apart(small_map):
    extra = Relationship("r6", "cat", "bob", "funds", 3)
    m = small_map.with_relationships((*small_map.relationships, extra))
    edges = page_data(render_html(m))[1]
    between = [e for e in edges if {e["from"], e["to"]} == {"n1", "n2"}]
    assert len(between) == 2
    assert "smooth" not in between[0]
    assert between[1]["smooth"]["type"] in ("curvedCW", "curvedCCW")


def test_highlight_emphasises_people_and_their_ties_and_fades_the_rest(small_map):
    plain = by_label(page_data(render_html(small_map))[0])
    nodes, edges, _ = page_data(render_html(small_map, highlight=["ann", "bob", "ghost"]))
    lit = by_label(nodes)
    assert lit["Ann Clark"]["color"]["background"] == plain["Ann Clark"]["color"]["background"]
    assert lit["Ann Clark"]["size"] > plain["Ann Clark"]["size"]
    assert lit["Cat Jones"]["color"]["background"].startswith("rgba(")
    assert lit["Cat Jones"]["font"]["color"] == "#C8C8C8"
    ann_bob = edges[0]
    assert ann_bob["color"]["opacity"] == 1.0 and ann_bob["width"] == 6.0
    assert all(e["color"]["opacity"] == 0.18 for e in edges[1:])


def test_highlighted_ties_match_either_way_round_and_light_their_ends(small_map):
    nodes, edges, _ = page_data(render_html(small_map, highlight_ties=[("eve", "dan")]))
    lit = by_label(nodes)
    assert not lit["Dan Okafor"]["color"]["background"].startswith("rgba(")
    assert lit["Ann Clark"]["color"]["background"].startswith("rgba(")
    assert [e["color"]["opacity"] for e in edges] == [0.18, 0.18, 0.18, 1.0, 0.18]


def test_physics_settles_small_maps_and_is_off_for_large_ones(small_map):
    _, _, meta = page_data(render_html(small_map))
    assert meta["physics"] is True and meta["options"]["physics"]["enabled"] is True
    assert meta["options"]["layout"]["improvedLayout"] is True
    _, _, meta = page_data(render_html(small_map, physics=False))
    assert meta["options"]["physics"]["enabled"] is False
    crowd = Map(
        name="Big",
        stakeholders=tuple(Stakeholder(f"p{i}", f"P{i}") for i in range(PHYSICS_LIMIT + 1)),
    )
    nodes, _, meta = page_data(render_html(crowd))
    assert meta["physics"] is False
    assert meta["options"]["layout"]["improvedLayout"] is False
    assert meta["options"]["edges"]["smooth"] is False
    assert len(nodes) == PHYSICS_LIMIT + 1


def test_saved_positions_are_used_and_pinned(small_map):
    m = replace(small_map, positions={"ann": (5.0, 6.0)})
    nodes = by_label(page_data(render_html(m))[0])
    assert (nodes["Ann Clark"]["x"], nodes["Ann Clark"]["y"]) == (5.0, 6.0)
    assert nodes["Ann Clark"]["physics"] is False
    assert nodes["Cat Jones"]["physics"] is True


def test_given_positions_are_drawn_as_given(small_map):
    where = grid_layout(small_map)
    nodes = page_data(render_html(small_map, positions=where, physics=False))[0]
    assert [(n["x"], n["y"]) for n in nodes] == [where[s.id] for s in small_map.stakeholders]


def test_same_map_gives_the_same_page(small_map):
    day = date(2026, 10, 1)
    assert render_html(small_map, today=day) == render_html(small_map, today=day)


def test_rendering_leaves_the_map_unchanged(small_map):
    before = (small_map, dict(small_map.positions))
    render_html(small_map, highlight=["ann"])
    assert (small_map, dict(small_map.positions)) == before


def test_standalone_page_has_a_heading_and_an_open_legend(small_map):
    page = render_html(small_map, standalone=True, height_px=480)
    assert "<h1><bdi>Small test map</bdi></h1>" in page
    assert '<details class="cm-legend" id="cm-legend" open>' in page
    assert "height: 480px" in page
    embedded = render_html(small_map)
    assert "<h1>" not in embedded and '<details class="cm-legend" id="cm-legend">' in embedded


def test_page_legend_names_every_perspective(small_map):
    page = render_html(small_map)
    for p in small_map.perspectives:
        assert f"<bdi>{escape(p)}</bdi>" in page


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"height_px": 20}, "height must be a whole number of pixels, 100 or more"),
        ({"stale_months": -1}, "stale must be 0 or more"),
    ],
)
def test_bad_settings_are_refused(small_map, settings, message):
    with pytest.raises(ValidationError, match=message):
        render_html(small_map, **settings)


def test_empty_map_renders(small_map):
    nodes, edges, meta = page_data(render_html(Map(name="Empty")))
    assert nodes == [] and edges == [] and meta["ids"] == {}


def test_legend_lists_perspectives_in_order_then_stances_markers_and_ties(small_map):
    items = legend(small_map, stale_months=6)
    kinds = [i.kind for i in items]
    assert kinds == sorted(kinds, key=["perspective", "stance", "marker", "tie"].index)
    assert [i.label for i in items if i.kind == "perspective"] == list(small_map.perspectives)
    assert [i.colour for i in items[:8]] == [c for c, _ in PALETTE]
    assert "Not confirmed in 6 months" in [i.label for i in items]
    conflict = next(i for i in items if i.label == "Conflict")
    assert (conflict.colour, conflict.dashes) == ("#C00000", (10, 6))
    with pytest.raises(dataclasses.FrozenInstanceError):
        items[0].label = "x"
    assert isinstance(items[0], LegendItem)


def test_palette_is_okabe_ito():
    # Okabe & Ito (2002), "Color Universal Design"; grey replaces black (see PALETTE).
    assert [c for c, _ in PALETTE] == [
        "#E69F00",
        "#56B4E9",
        "#009E73",
        "#F0E442",
        "#0072B2",
        "#D55E00",
        "#CC79A7",
        "#999999",
    ]


@pytest.mark.parametrize("text", [*PAYLOADS, "</script>", "a\u2028b", "&amp;"])
def test_safe_json_has_no_html_specials_and_reads_back(text):
    out = str(safe_json({"t": text}))
    assert not set("<>&") & set(out)
    assert "\u2028" not in out
    assert json.loads(out) == {"t": text}


@pytest.mark.parametrize("grid", [False, True])
def test_a_change_of_layout_is_what_the_page_drawn_in_that_layout_holds(small_map, grid):
    # the page drawn in one layout, told another, shows what a page drawn in it would
    where = (
        grid_layout(small_map)
        if grid
        else {s.id: (i * 50.0, -i * 20.0) for i, s in enumerate(small_map.stakeholders)}
    )
    lit = dict(highlight=["ann"], highlight_ties=[("bob", "cat")])
    nodes, _, meta = page_data(
        render_html(small_map, positions=where, grid=grid, grid_high=(4, 3), **lit)
    )
    change = relayout(small_map, where, name="x", grid=grid, grid_high=(4, 3), **lit)
    assert change["positions"] == {n["id"]: [n["x"], n["y"]] for n in nodes}
    assert change["sizes"] == {n["id"]: n["size"] for n in nodes}
    assert len(set(change["sizes"].values())) > 1, "the lit people are larger"
    assert change["ties_hidden"] == bool(meta["options"]["edges"].get("hidden"))
    assert (change["grid"], change["label_px"]) == (meta["grid"], meta["label_px"])
    assert change["name"] == "x"


def test_a_change_of_layout_carries_no_user_text(small_map):
    hostile = replace(
        small_map,
        stakeholders=tuple(
            replace(s, id=f"<b>{s.id}</b>", name="</script>") for s in small_map.stakeholders
        ),
        relationships=(),
    )
    where = {s.id: (1.0, 2.0) for s in hostile.stakeholders}
    text = json.dumps(relayout(hostile, where, name="grid", grid=True))
    assert "<" not in text and "script" not in text
