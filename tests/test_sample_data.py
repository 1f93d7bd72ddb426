"""The demo map: up to date with its script, valid, realistic in size, and holding its gaps."""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from collections import Counter
from datetime import date
from pathlib import Path

import networkx as nx
import pytest

from mapping.demo.sample import SAMPLE_PATH, load_sample
from mapping.errors import NotFoundError
from mapping.io.project_json import dumps, loads
from mapping.model import (
    DEFAULT_PERSPECTIVES,
    DEFAULT_RELATIONSHIP_TYPES,
    Map,
    Stance,
    validate_map,
)
from mapping.model.graph import tie_graph

SCRIPT = Path(__file__).resolve().parent.parent / "sample_data" / "build_sample.py"
TODAY = date(2026, 11, 26)
A_YEAR_AGO = date(2025, 11, 26)
LA = "local authority & social care"
PATIENT = "patient & carer"
PUBLIC_HEALTH = "public health"
VCSE = "voluntary & community sector"


def _script_module():
    spec = importlib.util.spec_from_file_location("build_sample", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def sample() -> Map:
    return load_sample()


@pytest.fixture(scope="module")
def ties(sample: Map) -> nx.Graph:
    return tie_graph(sample)


def _coalition(m: Map) -> set[str]:
    return {s.id for s in m.stakeholders if s.coalition}


def _in(m: Map, perspective: str) -> set[str]:
    return {s.id for s in m.stakeholders if s.perspective == perspective}


# The file and the script


def test_sample_file_is_what_the_script_builds_now():
    built = dumps(_script_module().build_sample())
    assert SAMPLE_PATH.read_text(encoding="utf-8") == built, (
        "sample_data/integrated-care-system.json is out of date: "
        "run 'python sample_data/build_sample.py'."
    )


def test_running_the_script_from_elsewhere_writes_the_identical_file(tmp_path):
    out = tmp_path / "sample.json"
    done = subprocess.run(
        [sys.executable, str(SCRIPT), str(out)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert out.read_bytes() == SAMPLE_PATH.read_bytes()


def test_build_sample_is_deterministic():
    script = _script_module()
    assert script.build_sample() == script.build_sample()
    assert dumps(script.build_sample()) == dumps(script.build_sample())


def test_sample_loads_through_the_project_json_importer_and_validates(sample):
    validate_map(sample)
    assert sample == _script_module().build_sample()
    assert sample.perspectives == DEFAULT_PERSPECTIVES
    assert sample.relationship_types == DEFAULT_RELATIONSHIP_TYPES


def test_load_sample_names_the_missing_file_and_the_fix(tmp_path):
    missing = tmp_path / "nowhere.json"
    with pytest.raises(NotFoundError, match=r"nowhere\.json.*build_sample\.py"):
        load_sample(missing)


# Size and realism


def test_counts_are_in_range(sample):
    assert 40 <= len(sample.stakeholders) <= 60
    assert 110 <= len(sample.relationships) <= 130
    assert 12 <= len(_coalition(sample)) <= 18


def test_ids_are_readable_and_in_order(sample):
    people = [s.id for s in sample.stakeholders]
    links = [r.id for r in sample.relationships]
    assert people == [f"s{i:02d}" for i in range(1, len(people) + 1)]
    assert links == [f"r{i:03d}" for i in range(1, len(links) + 1)]


@pytest.mark.parametrize("perspective", DEFAULT_PERSPECTIVES)
def test_every_default_perspective_has_stakeholders(sample, perspective):
    assert _in(sample, perspective)


def test_every_stance_is_used(sample):
    assert {s.stance for s in sample.stakeholders} == set(Stance)


def test_influence_and_interest_span_the_scale(sample):
    assert {s.influence for s in sample.stakeholders} == {1, 2, 3, 4, 5}
    assert {s.interest for s in sample.stakeholders} >= {2, 3, 4, 5}


def test_relationships_use_every_type_strength_and_both_directions(sample):
    kinds = Counter(r.type for r in sample.relationships)
    assert set(kinds) == set(DEFAULT_RELATIONSHIP_TYPES)
    assert 2 <= kinds["conflict"] <= 6
    assert {r.strength for r in sample.relationships} == {1, 2, 3, 4, 5}
    directed = sum(r.directed for r in sample.relationships)
    assert 0 < directed < len(sample.relationships)


def test_most_ties_stay_within_an_organisation_or_perspective(sample):
    people = {s.id: s for s in sample.stakeholders}
    inside = [
        r
        for r in sample.relationships
        if people[r.source].organisation == people[r.target].organisation
        or people[r.source].perspective == people[r.target].perspective
    ]
    assert len(inside) > len(sample.relationships) / 2
    assert len(inside) < len(sample.relationships)


def test_provenance_is_recorded_for_most_ties_across_three_years(sample):
    known = [r for r in sample.relationships if r.how_we_know]
    assert len(known) >= 0.75 * len(sample.relationships)
    years = {r.last_confirmed.year for r in sample.relationships if r.last_confirmed}
    assert years == {2024, 2025, 2026}
    assert all(r.last_confirmed <= TODAY for r in sample.relationships if r.last_confirmed)


def test_some_reviews_are_overdue_and_some_are_due_later(sample):
    dates = [s.review_by for s in sample.stakeholders if s.review_by]
    assert any(d < TODAY for d in dates)
    assert any(d > TODAY for d in dates)


def test_notes_tags_and_custom_fields_are_used(sample):
    assert sum(bool(s.notes) for s in sample.stakeholders) >= 10
    assert sum(bool(s.tags) for s in sample.stakeholders) >= 30
    assert any(s.custom for s in sample.stakeholders)
    assert any(r.notes for r in sample.relationships)


def test_a_note_with_quotes_ampersand_and_accents_survives_the_file(sample):
    awkward = [
        s.notes
        for s in sample.stakeholders
        if all(c in s.notes for c in "&'\"") and re.search(r"[^\x00-\x7f]", s.notes)
    ]
    assert awkward
    assert awkward[0] in {s.notes for s in loads(dumps(sample)).stakeholders}
    # Written as real UTF-8, not \u escapes.
    assert "Zoë" in SAMPLE_PATH.read_text(encoding="utf-8")


# The gaps the analysis must find (sample_data/README.md)


def test_gap_1_patient_and_carer_voices_exist_but_none_is_in_the_coalition(sample):
    voices = _in(sample, PATIENT)
    assert len(voices) >= 3
    assert not voices & _coalition(sample)


def _council_gatekeepers(m: Map, G: nx.Graph) -> list[str]:
    """People whose removal cuts every other local-authority stakeholder off the coalition."""
    council = _in(m, LA)
    coalition = _coalition(m)
    found = []
    for person in sorted(nx.articulation_points(G)):
        others = council - {person}
        if not others:
            continue
        rest = G.subgraph(set(G) - {person})
        if all(not nx.node_connected_component(rest, n) & coalition for n in others):
            found.append(person)
    return found


def test_gap_2_the_council_is_reached_through_one_person_only(sample, ties):
    council = _in(sample, LA)
    coalition = _coalition(sample)
    # Today every council stakeholder can reach the coalition...
    assert all(nx.node_connected_component(ties, n) & coalition for n in council)
    # ...and exactly one of them is the only way in.
    gatekeepers = _council_gatekeepers(sample, ties)
    assert len(gatekeepers) == 1
    (person,) = gatekeepers
    assert person in council
    assert len(council) >= 5
    # Every tie from the council side to the rest of the network runs through that person.
    rest = ties.subgraph(set(ties) - {person})
    council_side = set().union(*(nx.node_connected_component(rest, n) for n in council - {person}))
    boundary = {v for u in council_side for v in ties[u]} - council_side
    assert boundary == {person}


def test_gap_3_a_powerful_sceptic_has_no_strong_tie_to_the_coalition(sample, ties):
    coalition = _coalition(sample)
    sceptics = [
        s.id
        for s in sample.stakeholders
        if s.influence == 5 and s.stance in (Stance.SCEPTIC, Stance.OPPOSED)
    ]
    unreached = [
        sid
        for sid in sceptics
        if ties.degree(sid) > 0
        and all(ties.edges[sid, n]["strength"] < 3 for n in ties[sid] if n in coalition)
    ]
    assert unreached
    # Connected to the coalition only weakly, not absent from it.
    assert any(n in coalition for n in ties[unreached[0]])


def test_gap_4_someone_has_no_relationships_at_all(sample, ties):
    isolates = set(nx.isolates(ties))
    anyone_linked = {end for r in sample.relationships for end in (r.source, r.target)}
    assert isolates - anyone_linked


def test_gap_5a_public_health_and_the_vcse_never_meet(sample, ties):
    public_health, vcse = _in(sample, PUBLIC_HEALTH), _in(sample, VCSE)
    assert public_health and vcse
    assert not any(
        (u in public_health and v in vcse) or (u in vcse and v in public_health)
        for u, v in ties.edges
    )
    assert not any(
        {r.source, r.target} & public_health and {r.source, r.target} & vcse
        for r in sample.relationships
    )


def test_gap_5b_one_coalition_perspective_has_nobody_influential(sample):
    strongest: dict[str, int] = {}
    for s in sample.stakeholders:
        if s.coalition:
            strongest[s.perspective] = max(strongest.get(s.perspective, 0), s.influence)
    weak = {p for p, top in strongest.items() if top < 4}
    assert weak == {LA}


def test_gap_6_two_coalition_members_are_in_conflict(sample):
    coalition = _coalition(sample)
    clashes = [
        r
        for r in sample.relationships
        if r.is_conflict and r.source in coalition and r.target in coalition
    ]
    assert clashes


def test_gap_7_ties_never_confirmed_and_ties_confirmed_over_a_year_ago(sample):
    never = [r for r in sample.relationships if r.last_confirmed is None]
    stale = [r for r in sample.relationships if r.last_confirmed and r.last_confirmed < A_YEAR_AGO]
    assert 2 <= len(never) <= 6
    assert len(stale) >= 10
