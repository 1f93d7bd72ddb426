"""The still picture of a map: valid SVG, the interactive map's encodings, text only as text."""

from __future__ import annotations

import math
import re
from dataclasses import replace
from datetime import date

import pytest
from defusedxml import ElementTree

from mapping.demo.sample import load_sample
from mapping.drawing.encoding import legend
from mapping.drawing.picture import LABEL_ALL, map_scene, map_svg
from mapping.drawing.scene import Label, Scene, Shape, scene_svg, xml_text
from mapping.errors import ValidationError
from mapping.model import Map, Relationship, Stakeholder

NS = "{http://www.w3.org/2000/svg}"
TODAY = date(2026, 12, 1)
SCRIPT = "<script>alert(1)</script>"
QUOTES = "\"Bob\" & 'Sue' <b>"
RTL = "\u202eexe.lmth \u05e9\u05dc\u05d5\u05dd"
CONTROL = "Bell\x07 and \x1b escape"


def parse(svg: str):
    return ElementTree.fromstring(svg.encode("utf-8"))


def elements(root, cls: str) -> list:
    return [e for e in root.iter() if e.get("class") == cls]


def hostile_map() -> Map:
    people = (
        Stakeholder("s1", SCRIPT, perspective="clinical", coalition=True),
        Stakeholder("s2", QUOTES, perspective=SCRIPT, stance="champion"),
        Stakeholder("s3", RTL, perspective="clinical", stance="opposed"),
        Stakeholder("s4", CONTROL, perspective="clinical"),
    )
    ties = (Relationship("r1", "s1", "s2", "collaborates", 4, directed=True),)
    return Map(
        name=SCRIPT,
        perspectives=("clinical", SCRIPT),
        stakeholders=people,
        relationships=ties,
    )


def test_sample_map_svg_is_xml_with_one_marker_per_stakeholder():
    m = load_sample()
    root = parse(map_svg(m, today=TODAY))
    assert root.tag == f"{NS}svg"
    assert len(elements(root, "marker")) == len(m.stakeholders) == 52
    assert len(elements(root, "tie")) == len(m.relationships)
    names = {e.text for e in elements(root, "label")}
    assert {s.name for s in m.stakeholders} <= names
    assert root.find(f"{NS}title").text == f"Stakeholder map: {m.name}"


def test_same_map_and_date_give_the_same_svg():
    m = load_sample()
    assert map_svg(m, today=TODAY) == map_svg(m, today=TODAY)


def test_hostile_names_appear_only_escaped_and_come_back_intact():
    svg = map_svg(hostile_map(), today=TODAY)
    for raw in (SCRIPT, "<b>", "<script"):
        assert raw not in svg
    assert xml_text(SCRIPT) in svg and "&quot;Bob&quot; &amp; &#x27;Sue&#x27;" in svg
    root = parse(svg)  # the bell and escape characters would make this fail unreplaced
    labels = [e.text for e in elements(root, "label")]
    assert sorted(labels) == sorted([SCRIPT, QUOTES, RTL, "Bell\ufffd and \ufffd escape"])
    legend_text = [e.text for e in elements(root, "legend")]
    assert SCRIPT in legend_text  # the hostile perspective, as text
    assert not [e for e in root.iter() if e.tag.endswith("script")]


def test_markers_use_the_interactive_maps_colours_shapes_and_outline(small_map):
    root = parse(map_svg(small_map, today=TODAY))
    colours = {i.label: i.colour for i in legend(small_map) if i.kind == "perspective"}
    markers = {e.find(f"{NS}title").text.split(" (")[0]: e for e in elements(root, "marker")}
    ann, fay, cat = markers["Ann Clark"], markers["Fay Brown"], markers["Cat Jones"]
    assert ann.get("fill") == colours["commissioner"] == "#009E73"
    assert fay.get("fill") == colours["patient & carer"]
    # champion: a ten-point star; sceptic: a square; unknown: a hexagon
    assert ann.tag == f"{NS}polygon" and len(ann.get("points").split()) == 10
    assert len(cat.get("points").split()) == 4
    assert len(fay.get("points").split()) == 6
    # coalition members have the thick dark outline, others a thin one
    assert ann.get("stroke") == "#111111"
    assert float(ann.get("stroke-width")) > float(cat.get("stroke-width"))
    assert cat.get("stroke") != "#111111"


def test_marker_size_grows_with_influence():
    people = (
        Stakeholder("a", "Low", stance="neutral", influence=1),
        Stakeholder("b", "High", stance="neutral", influence=5),
    )
    root = parse(map_svg(Map("M", stakeholders=people), today=TODAY))
    radius = {
        e.find(f"{NS}title").text.split(" (")[0]: float(e.get("r"))
        for e in elements(root, "marker")
    }
    assert radius["High"] > 2 * radius["Low"]


def test_ties_show_strength_conflict_direction_and_staleness(small_map):
    ann_dan_long_ago = small_map.with_relationships(
        replace(r, last_confirmed=date(2024, 1, 1)) if r.id == "r3" else r
        for r in small_map.relationships
    )
    root = parse(map_svg(ann_dan_long_ago, today=TODAY))
    ties = {e.find(f"{NS}title").text: e for e in elements(root, "tie")}
    conflict = ties["Dr Bob Singh ↔ Cat Jones: conflict, strength 2 of 5"]
    fresh = ties["Ann Clark ↔ Dr Bob Singh: collaborates, strength 4 of 5"]
    stale = ties["Ann Clark ↔ Dan Okafor: collaborates, strength 3 of 5"]
    never = ties["Dan Okafor → Eve Lewis: reports to, strength 5 of 5"]
    assert conflict.get("stroke") == "#C00000" and conflict.get("stroke-dasharray")
    assert fresh.get("stroke-dasharray") is None and fresh.get("opacity") == "0.85"
    assert stale.get("opacity") == "0.45" and stale.get("stroke-dasharray")
    # never confirmed is not stale: drawn like any other tie
    assert never.get("stroke-dasharray") is None and never.get("opacity") == "0.85"
    assert float(fresh.get("stroke-width")) > float(stale.get("stroke-width"))
    # two one-way ties (r2, r4): one arrowhead each
    assert len(elements(root, "arrow")) == 2


def test_a_tie_confirmed_recently_is_not_stale_but_is_after_stale_months(small_map):
    def opacity(today: date, months: int) -> str:
        root = parse(map_svg(small_map, today=today, stale_months=months))
        tie = next(e for e in elements(root, "tie") if "Ann Clark ↔ Dr Bob" in e[0].text)
        return tie.get("opacity")

    assert opacity(date(2026, 10, 1), 12) == "0.85"
    assert opacity(date(2027, 10, 1), 12) == "0.45"


def test_parallel_ties_are_curved_apart():
    people = (Stakeholder("a", "Ann"), Stakeholder("b", "Bo"))
    ties = (
        Relationship("r1", "a", "b", "collaborates"),
        Relationship("r2", "a", "b", "funds", directed=True),
    )
    root = parse(map_svg(Map("M", stakeholders=people, relationships=ties), today=TODAY))
    kinds = sorted(e.tag.removeprefix(NS) for e in elements(root, "tie"))
    assert kinds == ["line", "path"]


def test_highlight_fades_everyone_else(small_map):
    root = parse(map_svg(small_map, today=TODAY, highlight=["ann", "bob", "nobody"]))
    faded = {
        e.find(f"{NS}title").text.split(" (")[0]
        for e in elements(root, "marker")
        if e.get("opacity") == "0.18"
    }
    assert faded == {"Cat Jones", "Dan Okafor", "Eve Lewis", "Fay Brown"}
    lit = [e for e in elements(root, "tie") if e.get("opacity") is None]
    assert [e[0].text.split(":")[0] for e in lit] == ["Ann Clark ↔ Dr Bob Singh"]


def test_given_positions_are_kept_in_their_arrangement():
    people = (Stakeholder("a", "Ann"), Stakeholder("b", "Bo"))
    scene = map_scene(
        Map("M", stakeholders=people), {"a": (500.0, 0.0), "b": (-500.0, 0.0)}, today=TODAY
    )
    xs = {
        m.title.split(" (")[0]: m.points[0][0]
        for m in scene.items
        if isinstance(m, Shape) and m.role == "marker"
    }
    assert xs["Bo"] < xs["Ann"]


def test_saved_positions_are_used_by_default():
    people = (Stakeholder("a", "Ann"), Stakeholder("b", "Bo"), Stakeholder("c", "Cy"))
    saved = {"a": (0.0, -300.0), "b": (0.0, 300.0), "c": (0.0, 0.0)}
    scene = map_scene(Map("M", stakeholders=people, positions=saved), today=TODAY)
    ys = {
        m.title.split(" (")[0]: m.points[0][1]
        for m in scene.items
        if isinstance(m, Shape) and m.role == "marker"
    }
    assert ys["Ann"] < ys["Cy"] < ys["Bo"]


@pytest.mark.parametrize(
    "m",
    [
        Map("Empty"),
        Map("One", stakeholders=(Stakeholder("a", "Ann", coalition=True),)),
        Map(
            "Same place",
            stakeholders=(Stakeholder("a", "Ann"), Stakeholder("b", "Bo")),
            positions={"a": (1.0, 1.0), "b": (1.0, 1.0)},
        ),
    ],
    ids=["empty", "one", "same-place"],
)
def test_small_and_degenerate_maps_draw(m):
    svg = map_svg(m, today=TODAY)
    root = parse(svg)
    assert len(elements(root, "marker")) == len(m.stakeholders)
    for e in root.iter():
        for name in ("x", "y", "cx", "cy", "r", "x1", "y1", "x2", "y2", "points"):
            if e.get(name) is not None:
                numbers = [float(v) for v in re.split(r"[ ,]", e.get(name))]
                assert all(math.isfinite(v) for v in numbers), (name, e.get(name))
    if not m.stakeholders:
        assert "No stakeholders on this map yet." in [e.text for e in elements(root, "label")]


def test_legend_lists_every_perspective_and_stance():
    m = load_sample()
    root = parse(map_svg(m, today=TODAY))
    text = {e.text for e in elements(root, "legend")}
    assert set(m.perspectives) <= text
    assert {"champion", "supporter", "neutral", "sceptic", "opposed", "unknown"} <= text
    assert {"In the coalition", "Conflict", "Not confirmed in 12 months"} <= text


def test_picture_grows_to_fit_a_long_legend():
    many = tuple(f"perspective {i}" for i in range(20))
    m = Map("M", perspectives=many)
    scene = map_scene(m, height=300, today=TODAY)
    assert scene.height > 300
    bottom = max(i.y for i in scene.items if isinstance(i, Label))
    assert bottom < scene.height


def test_labels_can_be_left_out(small_map):
    root = parse(map_svg(small_map, include_labels=False, today=TODAY))
    assert elements(root, "label") == []


@pytest.mark.parametrize("width", [0, 100, True, "wide", float("nan")])
def test_nonsense_sizes_are_refused(small_map, width):
    with pytest.raises(ValidationError, match="width"):
        map_svg(small_map, width=width)


def test_scene_inside_html_has_no_namespace_or_declaration():
    svg = scene_svg(Scene(10, 10, ()), standalone=False)
    assert svg.startswith("<svg ") and "xmlns" not in svg and "<?xml" not in svg
    assert re.search(r'viewBox="0 0 10 10"', svg)


def test_big_maps_leave_out_names_with_no_room_but_keep_highlighted_ones():
    people = tuple(Stakeholder(f"s{i}", f"Person {i}") for i in range(LABEL_ALL + 50))
    crowded = Map("M", stakeholders=people, positions={s.id: (0.0, 0.0) for s in people})
    root = parse(map_svg(crowded, highlight=["s7"], today=TODAY))
    names = [e.text for e in elements(root, "label")]
    assert "Person 7" in names and len(names) < 10
    assert len(elements(root, "marker")) == len(people)
    small = crowded.with_stakeholders(people[:LABEL_ALL])
    assert len(elements(parse(map_svg(small, today=TODAY)), "label")) == LABEL_ALL


def _label_boxes(scene: Scene) -> list[tuple[str, float, float, float, float]]:
    """Each name's box as the report's PDF draws it: its width in the report's font."""
    from reportlab.pdfbase import pdfmetrics

    from mapping.report.pdf import pdf_fonts

    fonts = pdf_fonts()
    boxes = []
    for item in scene.items:
        if isinstance(item, Label) and item.role == "label":
            font = fonts.bold if item.bold else fonts.regular
            w = pdfmetrics.stringWidth(item.text, font, item.size)
            left = item.x - {"start": 0.0, "middle": w / 2, "end": w}[item.anchor]
            boxes.append((item.text, left, item.y - item.size, left + w, item.y + 0.25 * item.size))
    return boxes


def _legend_left(scene: Scene) -> float:
    [panel] = [i for i in scene.items if isinstance(i, Shape) and i.role == "legend"]
    return min(x for x, _ in panel.points)


def _edge_map() -> Map:
    """People at the right edge of the layout with long names, and one at the left."""
    people = (
        Stakeholder("a", "Dr Alexandra Montgomery-Fitzwilliam", influence=5),
        Stakeholder("b", "Professor Bartholomew Worthington-Smythe"),
        Stakeholder("c", "Cy"),
        Stakeholder("d", "Wilhelmina Cartwright-Pemberton"),
    )
    where = {"a": (100.0, 0.0), "b": (100.0, 8.0), "c": (50.0, 40.0), "d": (0.0, 20.0)}
    ties = (Relationship("r1", "a", "c"), Relationship("r2", "b", "d"))
    return Map("Edge", stakeholders=people, relationships=ties, positions=where)


@pytest.mark.parametrize("make", [load_sample, _edge_map], ids=["sample", "long names at edges"])
def test_names_and_markers_stay_clear_of_the_legend(make):
    """The report's map picture (issue 16, item 10): no name and no marker under the legend,
    measured with the report's own font, at the size the report draws it."""
    scene = map_scene(make(), width=1100, height=733, today=TODAY)
    edge = _legend_left(scene)
    boxes = _label_boxes(scene)
    assert len(boxes) == len(make().stakeholders)
    assert [b for b in boxes if b[3] > edge - 2 or b[1] < 0] == []
    markers = [i for i in scene.items if isinstance(i, Shape) and i.role == "marker"]
    reach = [max(p[0] for p in m.points) + m.radius for m in markers]
    assert max(reach) < edge


def test_the_reports_picture_of_the_sample_has_no_two_names_overlapping():
    """With no saved places the picture takes the map page's layout, which leaves room for
    names (9 pairs overlapped on the forces' layout alone), measured in the PDF's font."""
    boxes = _label_boxes(map_scene(load_sample(), width=1100, height=733, today=TODAY))
    overlapping = [
        (a[0], b[0])
        for i, a in enumerate(boxes)
        for b in boxes[i + 1 :]
        if a[1] < b[3] and b[1] < a[3] and a[2] < b[4] and b[2] < a[4]
    ]
    assert len(boxes) == 52 and overlapping == []
