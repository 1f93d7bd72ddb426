"""Several raters: agreement rules, tie rounding, unknown stances, disagreement ranking."""

from __future__ import annotations

import pytest

from mapping.changes.ratings import (
    STANCE_SCALE,
    Rating,
    agreed_values,
    apply_agreed,
    combine,
    disagreements,
    latest,
)
from mapping.errors import ValidationError
from mapping.model import Stance


@pytest.mark.parametrize(
    ("scores", "expected"),
    [
        ([3], 3),
        ([1, 3, 5], 3),
        ([2, 2, 5], 2),
        ([4, 5], 4),  # 4.5 rounds towards the middle of the scale
        ([1, 2], 2),  # 1.5 rounds towards 3
        ([2, 3], 3),  # 2.5 -> 3
        ([3, 4], 3),  # 3.5 -> 3
        ([1, 4], 3),  # 2.5 -> 3
        ([2, 5], 3),  # 3.5 -> 3
        ([1, 5], 3),
        ([4, 4, 5, 5], 4),
        ([1, 1, 2, 2], 2),
        ([5, 1, 5, 1, 5], 5),  # order does not matter
    ],
)
def test_median_with_even_counts_rounds_halves_towards_the_middle(scores, expected):
    assert combine(scores, "median") == expected


@pytest.mark.parametrize(
    ("rule", "scores", "expected"),
    [
        ("mean", [1, 1, 5], 2),  # 7/3
        ("mean", [5, 5, 4], 5),  # 14/3
        ("mean", [1, 2], 2),  # exact half towards 3
        ("mean", [4, 5], 4),
        ("mean", [1, 2, 2, 2], 2),  # 1.75
        ("min", [4, 2, 5], 2),
        ("max", [4, 2, 5], 5),
    ],
)
def test_mean_min_and_max(rule, scores, expected):
    assert combine(scores, rule) == expected


def test_unknown_rule_and_no_ratings_are_refused_with_a_message():
    with pytest.raises(ValidationError, match="Unknown rule 'mode'"):
        combine([1, 2], "mode")
    with pytest.raises(ValidationError, match="no ratings"):
        combine([])


def test_stance_median_uses_the_ordered_scale_and_ignores_unknown():
    views = [
        Rating("A", "cat", "stance", "champion"),
        Rating("B", "cat", "stance", "supporter"),
        Rating("C", "cat", "stance", "unknown"),
        Rating("D", "cat", "stance", "unknown"),
    ]
    agreed = agreed_values(views)[("cat", "stance")]
    # champion (5) and supporter (4): 4.5 rounds towards neutral, to supporter
    assert agreed.value is Stance.SUPPORTER
    assert agreed.raters == 2 and agreed.spread == 1


@pytest.mark.parametrize(
    ("stances", "rule", "expected"),
    [
        (["opposed", "sceptic"], "median", Stance.SCEPTIC),  # 1.5 -> 2
        (["champion", "opposed"], "median", Stance.NEUTRAL),
        (["champion", "opposed", "opposed"], "median", Stance.OPPOSED),
        (["champion", "supporter", "opposed"], "min", Stance.OPPOSED),
        (["neutral", "supporter", "sceptic"], "max", Stance.SUPPORTER),
        (["champion", "champion", "sceptic"], "mean", Stance.SUPPORTER),  # 12/3 = 4
    ],
)
def test_stance_rules(stances, rule, expected):
    views = [Rating(f"R{i}", "x", "stance", s) for i, s in enumerate(stances)]
    assert agreed_values(views, rule)[("x", "stance")].value is expected


def test_only_unknown_stances_give_no_agreed_value():
    views = [Rating("A", "x", "stance", "unknown"), Rating("B", "x", "stance", "")]
    assert agreed_values(views) == {}
    assert disagreements(views) == []


def test_stance_scale_runs_from_least_to_most_favourable():
    assert [s.value for s in STANCE_SCALE] == [
        "opposed",
        "sceptic",
        "neutral",
        "supporter",
        "champion",
    ]


def test_a_later_rating_by_the_same_rater_replaces_the_earlier_any_case():
    views = [
        Rating("Council", "cat", "influence", 2),
        Rating("ICB", "cat", "influence", 5),
        Rating("council ", "cat", "influence", 4),
    ]
    kept = latest(views)
    assert [(r.rater, r.value) for r in kept] == [("ICB", 5), ("council", 4)]
    assert agreed_values(views)[("cat", "influence")].value == 4  # median of 4 and 5 -> 4


def test_the_issue_example_puts_the_provider_ceo_stance_first():
    views = [
        Rating("Clinical lead", "ceo", "stance", "supporter"),
        Rating("Council", "ceo", "stance", "opposed"),
        Rating("ICB", "ceo", "stance", "neutral"),
        Rating("Clinical lead", "ceo", "influence", 5),
        Rating("Council", "ceo", "influence", 4),
        Rating("ICB", "ceo", "influence", 5),
        Rating("Clinical lead", "gp", "interest", 2),
        Rating("Council", "gp", "interest", 2),
    ]
    ranked = disagreements(views)
    assert [(d.subject, d.field, d.spread) for d in ranked] == [
        ("ceo", "stance", 3),
        ("ceo", "influence", 1),
    ]
    top = ranked[0]
    assert top.high is Stance.SUPPORTER and top.high_raters == ("Clinical lead",)
    assert top.low is Stance.OPPOSED and top.low_raters == ("Council",)
    assert top.raters == 3 and top.agreed is Stance.NEUTRAL


def test_ranking_breaks_equal_spreads_by_number_of_views_then_field_then_subject():
    views = [
        # spread 2, two views
        Rating("A", "s1", "strength", 2),
        Rating("B", "s1", "strength", 4),
        # spread 2, three views
        Rating("A", "bob", "interest", 3),
        Rating("B", "bob", "interest", 5),
        Rating("C", "bob", "interest", 4),
        # spread 2, two views, stance before strength
        Rating("A", "zed", "stance", "supporter"),
        Rating("B", "zed", "stance", "sceptic"),
        # spread 2, two views, influence; subject 'amy' before 'zed'
        Rating("A", "amy", "influence", 1),
        Rating("B", "amy", "influence", 3),
        # spread 4: widest of all
        Rating("A", "cy", "influence", 1),
        Rating("B", "cy", "influence", 5),
    ]
    ranked = [(d.subject, d.field) for d in disagreements(views)]
    assert ranked == [
        ("cy", "influence"),
        ("bob", "interest"),
        ("zed", "stance"),
        ("amy", "influence"),
        ("s1", "strength"),
    ]
    assert [d.subject for d in disagreements(views, minimum_spread=3)] == ["cy"]


def test_apply_agreed_changes_only_rated_fields_and_leaves_the_input(small_map):
    views = [
        Rating("Clinical lead", "cat", "stance", "supporter"),
        Rating("Council", "cat", "stance", "neutral"),
        Rating("Council", "cat", "influence", 3),
        Rating("Council", "r1", "strength", 2),
        Rating("X", "r1", "strength", 1),
        Rating("Council", "nobody", "influence", 1),
    ]
    new = apply_agreed(small_map, views)
    cat = new.stakeholder("cat")
    assert cat.stance is Stance.NEUTRAL  # supporter (4) and neutral (3): 3.5 -> 3
    assert cat.influence == 3 and cat.interest == small_map.stakeholder("cat").interest
    assert next(r for r in new.relationships if r.id == "r1").strength == 2  # 1.5 -> 2
    assert small_map.stakeholder("cat").stance is Stance.SCEPTIC
    others = [s for s in new.stakeholders if s.id != "cat"]
    assert others == [s for s in small_map.stakeholders if s.id != "cat"]
    assert apply_agreed(small_map, []) is small_map


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("", "cat", "stance", "supporter"), "no rater"),
        (("A", "cat", "stance", "keen"), "not one of"),
        (("A", "cat", "influence", 0), "whole number from 1 to 5"),
        (("A", "cat", "influence", True), "whole number from 1 to 5"),
        (("A", "cat", "notes", 3), "cannot be rated"),
        (("A", " ", "influence", 3), "which stakeholder or relationship"),
    ],
)
def test_invalid_ratings_are_refused_naming_the_rater_and_field(args, message):
    with pytest.raises(ValidationError, match=message):
        Rating(*args)


def test_stored_text_values_are_read_back():
    assert Rating("A", "cat", "influence", "4").value == 4
    assert Rating("A", "cat", "stance", "Opposed").value is Stance.OPPOSED
