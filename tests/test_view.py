"""View filters: which people and ties a view shows, and keeping the view in the URL."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mapping.changes.view import (
    COALITION_CHOICES,
    ViewFilter,
    apply_view,
    from_query_params,
    matching,
    to_query_params,
)
from mapping.errors import NotFoundError, ValidationError
from mapping.model import Stance


def shown(m, **settings) -> list[str]:
    return [s.id for s in apply_view(m, ViewFilter(**settings)).stakeholders]


def ties(m, **settings) -> list[str]:
    return [r.id for r in apply_view(m, ViewFilter(**settings)).relationships]


def test_the_default_view_shows_the_whole_map(small_map):
    assert apply_view(small_map, ViewFilter()) == small_map


@pytest.mark.parametrize(
    ("settings", "people"),
    [
        ({"perspectives": ("local authority & social care",)}, ["dan", "eve"]),
        ({"perspectives": ("clinical", "provider")}, ["bob", "cat"]),
        ({"stances": ("supporter",)}, ["bob", "eve"]),
        ({"stances": ("Sceptic", "unknown")}, ["cat", "fay"]),
        ({"coalition": "members"}, ["ann", "bob", "dan"]),
        ({"coalition": "non-members"}, ["cat", "eve", "fay"]),
        ({"hide_isolated": True}, ["ann", "bob", "cat", "dan", "eve"]),
        ({"coalition": "members", "stances": ("champion", "supporter")}, ["ann", "bob"]),
    ],
)
def test_people_filters(small_map, settings, people):
    assert shown(small_map, **settings) == people


@pytest.mark.parametrize(
    ("text", "people"),
    [
        ("RIVERSIDE", ("dan", "eve")),  # organisation, any case
        ("singh", ("bob",)),  # name
        ("nobody", ()),
        ("  ", ()),
    ],
)
def test_search_finds_people_by_name_or_organisation(small_map, text, people):
    assert matching(small_map, text) == people


def test_a_search_hides_nobody(small_map):
    assert shown(small_map, search="singh") == [s.id for s in small_map.stakeholders]
    assert shown(small_map, search="singh", focus="eve", steps=1) == ["dan", "eve"]


@pytest.mark.parametrize(
    ("settings", "kept"),
    [
        ({"relationship_types": ("collaborates",)}, ["r1", "r3"]),
        ({"relationship_types": ("conflict",)}, ["r5"]),
        ({"min_strength": 3}, ["r1", "r3", "r4"]),
        ({"min_strength": 5}, ["r4"]),
        ({"perspectives": ("commissioner", "clinical")}, ["r1"]),  # both ends must show
    ],
)
def test_tie_filters(small_map, settings, kept):
    assert ties(small_map, **settings) == kept


@pytest.mark.parametrize(
    ("focus", "steps", "people"),
    [
        ("ann", 0, ["ann"]),
        ("ann", 1, ["ann", "bob", "cat", "dan"]),
        ("eve", 1, ["dan", "eve"]),
        ("eve", 2, ["ann", "dan", "eve"]),
        ("eve", 3, ["ann", "bob", "cat", "dan", "eve"]),
        ("fay", 4, ["fay"]),  # no ties
    ],
)
def test_focus_keeps_people_within_n_steps_either_way_round(small_map, focus, steps, people):
    assert shown(small_map, focus=focus, steps=steps) == people


def test_focus_travels_only_through_ties_that_pass_the_tie_filters(small_map):
    # Eve reaches Ann through Dan only if the weaker Ann-Dan tie (3) is kept.
    assert shown(small_map, focus="eve", steps=2, min_strength=4) == ["dan", "eve"]
    # Bob reaches Cat directly only through the conflict tie.
    assert shown(small_map, focus="bob", steps=1, relationship_types=("collaborates",)) == [
        "ann",
        "bob",
    ]


def test_focus_person_stays_when_other_filters_would_hide_them(small_map):
    people = shown(small_map, focus="eve", steps=2, perspectives=("commissioner",))
    assert people == ["ann", "eve"]


def test_focus_on_someone_not_on_the_map_says_how_to_fix_it(small_map):
    with pytest.raises(NotFoundError, match="'zed' is not on this map; clear the focus"):
        apply_view(small_map, ViewFilter(focus="zed"))


def test_applying_a_view_leaves_the_map_unchanged(small_map):
    before = (small_map, dict(small_map.positions))
    apply_view(small_map, ViewFilter(perspectives=("clinical",), hide_isolated=True))
    assert (small_map, dict(small_map.positions)) == before


def test_filtered_map_keeps_only_positions_of_people_shown(small_map):
    from dataclasses import replace

    placed = replace(small_map, positions={"ann": (1.0, 2.0), "cat": (3.0, 4.0)})
    view = apply_view(placed, ViewFilter(coalition="members"))
    assert view.positions == {"ann": (1.0, 2.0)}


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"coalition": "some"}, "coalition must be one of all, members, non-members"),
        ({"min_strength": 0}, "minimum strength must be a whole number from 1 to 5, got 0"),
        ({"min_strength": True}, "minimum strength"),
        ({"steps": -1}, "steps must be a whole number, 0 or more"),
        ({"stances": ("keen",)}, "stance 'keen' is not one of"),
        ({"perspectives": "clinical"}, "perspectives must be a list of values"),
    ],
)
def test_view_filter_rejects_bad_settings_with_a_clear_message(settings, message):
    with pytest.raises(ValidationError, match=message):
        ViewFilter(**settings)


def test_view_filter_tidies_its_values():
    view = ViewFilter(
        perspectives=[" clinical ", "clinical", ""],
        stances=["Skeptic"],
        coalition="Members",
        focus="  ",
        search="  ann ",
    )
    assert view == ViewFilter(
        perspectives=("clinical",), stances=("sceptic",), coalition="members", search="ann"
    )
    assert view.focus is None


def test_query_params_leave_out_defaults():
    assert to_query_params(ViewFilter()) == {}
    assert from_query_params({}) == ViewFilter()


def test_query_params_spell_every_setting():
    view = ViewFilter(
        perspectives=("clinical", "patient & carer"),
        stances=("champion",),
        coalition="non-members",
        relationship_types=("funds",),
        min_strength=2,
        focus="ann",
        steps=3,
        search="council",
        hide_isolated=True,
    )
    params = to_query_params(view)
    assert params == {
        "perspectives": "clinical|patient & carer",
        "stances": "champion",
        "coalition": "non-members",
        "types": "funds",
        "min_strength": "2",
        "focus": "ann",
        "steps": "3",
        "q": "council",
        "hide_isolated": "1",
    }
    assert from_query_params(params) == view


def test_query_params_ignore_other_keys_and_take_the_last_of_repeated_values():
    params = {"page": "map", "min_strength": ["2", "4"], "q": ["council"]}
    assert from_query_params(params) == ViewFilter(min_strength=4, search="council")


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"min_strength": "strong"}, "'min_strength' setting must be a whole number"),
        ({"steps": "2.5"}, "'steps' setting must be a whole number"),
        ({"hide_isolated": "maybe"}, "'hide_isolated' setting must be 1 or 0"),
        ({"coalition": "everyone"}, "coalition must be one of"),
    ],
)
def test_query_params_with_bad_values_say_which_setting(params, message):
    with pytest.raises(ValidationError, match=message):
        from_query_params(params)


texts = st.lists(st.text(min_size=1, max_size=12).map(str.strip).filter(bool), max_size=4)


@given(
    perspectives=texts,
    types=texts,
    stances=st.lists(st.sampled_from([s.value for s in Stance]), max_size=3),
    coalition=st.sampled_from(COALITION_CHOICES),
    min_strength=st.integers(1, 5),
    focus=st.none() | st.text(min_size=1, max_size=10).map(str.strip).filter(bool),
    steps=st.integers(0, 6),
    search=st.text(max_size=12),
    hide=st.booleans(),
)
def test_query_params_round_trip_any_view(
    perspectives, types, stances, coalition, min_strength, focus, steps, search, hide
):
    view = ViewFilter(
        perspectives=perspectives,
        stances=stances,
        coalition=coalition,
        relationship_types=types,
        min_strength=min_strength,
        focus=focus,
        steps=steps,
        search=search,
        hide_isolated=hide,
    )
    params = to_query_params(view)
    assert all(isinstance(v, str) for v in params.values())
    assert from_query_params(params) == view
