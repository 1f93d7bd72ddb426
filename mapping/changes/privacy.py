"""Privacy: a copy of a map fit to share, without private notes and, if asked, without names.

Maps hold judgements about named people. :func:`redact` drops notes ("notes" and "how we
know") and custom fields on request, and pseudonymises: people become ``P001``, ``P002``…
and organisations ``O01``, ``O02``… (numbered in the order of stakeholder ids, so the same
map always gets the same codes). Stakeholder and relationship ids are replaced too, since
they may have been made from names. The key (code -> real name) comes back separately, to
be kept apart from the shared copy.

Pseudonymising also replaces, as whole words in any case, every real name and organisation
found in the text that stays (notes, how we know, custom fields, the description). That is a
best effort: nicknames, initials and roles ("the Chief Executive of ...") can still identify
people, so leave notes out of anything shared outside the team.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import replace

from mapping.model import Map, Relationship, Stakeholder

__all__ = ["redact", "key_csv"]


def _codes(prefix: str, values: list[str], digits: int) -> dict[str, str]:
    width = max(digits, len(str(len(values))))
    return {v: f"{prefix}{i:0{width}d}" for i, v in enumerate(values, start=1)}


def _replacer(real_to_code: dict[str, str]) -> Callable[[str], str]:
    words = sorted((w for w in real_to_code if w.strip()), key=len, reverse=True)
    if not words:
        return lambda text: text
    lookup = {w.casefold(): real_to_code[w] for w in reversed(words)}
    pattern = re.compile(
        r"(?<!\w)(" + "|".join(re.escape(w) for w in words) + r")(?!\w)", re.IGNORECASE
    )
    return lambda text: pattern.sub(lambda m: lookup.get(m.group(1).casefold(), m.group(1)), text)


def redact(
    m: Map,
    *,
    include_notes: bool = True,
    include_custom: bool = True,
    pseudonymise: bool = False,
) -> tuple[Map, dict[str, str]]:
    """A shareable copy of ``m`` and the key from codes back to real names.

    >>> from mapping.model import Stakeholder
    >>> m = Map(name="M", stakeholders=(
    ...     Stakeholder("b", "Bo Li", "Eastside", notes="Ask Ann Clark first"),
    ...     Stakeholder("a", "Ann Clark", "North ICB", notes="Close to Bo li")))
    >>> shared, key = redact(m, pseudonymise=True)
    >>> [(s.id, s.name, s.organisation, s.notes) for s in shared.stakeholders]
    [('P002', 'P002', 'O02', 'Ask P001 first'), ('P001', 'P001', 'O01', 'Close to P002')]
    >>> key["P001"], key["O02"]
    ('Ann Clark', 'Eastside')
    >>> redact(m, include_notes=False)[0].stakeholders[0].notes
    ''
    """
    key: dict[str, str] = {}
    people = {s.id: s for s in m.stakeholders}
    person_code: dict[str, str] = {}
    org_code: dict[str, str] = {}
    if pseudonymise:
        person_code = _codes("P", sorted(people), 3)
        orgs = [s.organisation for s in sorted(m.stakeholders, key=lambda s: s.id)]
        org_code = _codes("O", list(dict.fromkeys(o for o in orgs if o.strip())), 2)
        key = {code: people[sid].name for sid, code in person_code.items()}
        key.update({code: org for org, code in org_code.items()})
    real_to_code = dict(org_code)
    real_to_code.update({people[sid].name: code for sid, code in person_code.items()})
    scrub = _replacer(real_to_code)

    def text(value: str, keep: bool) -> str:
        return scrub(value) if keep else ""

    def custom(values: dict[str, str]) -> dict[str, str]:
        return {k: scrub(v) for k, v in values.items()} if include_custom else {}

    def person(s: Stakeholder) -> Stakeholder:
        return replace(
            s,
            id=person_code.get(s.id, s.id),
            name=person_code.get(s.id, s.name),
            organisation=org_code.get(s.organisation, s.organisation),
            notes=text(s.notes, include_notes),
            custom=custom(dict(s.custom)),
        )

    tie_code = _codes("R", sorted(r.id for r in m.relationships), 3) if pseudonymise else {}

    def tie(r: Relationship) -> Relationship:
        return replace(
            r,
            id=tie_code.get(r.id, r.id),
            source=person_code.get(r.source, r.source),
            target=person_code.get(r.target, r.target),
            how_we_know=text(r.how_we_know, include_notes),
            notes=text(r.notes, include_notes),
            custom=custom(dict(r.custom)),
        )

    shared = replace(
        m,
        description=scrub(m.description),
        stakeholders=tuple(person(s) for s in m.stakeholders),
        relationships=tuple(tie(r) for r in m.relationships),
        positions={person_code.get(k, k): v for k, v in m.positions.items()},
    )
    return shared, key


def key_csv(key: Mapping[str, str]) -> bytes:
    """The key from codes back to real names, as a CSV file (UTF-8 with BOM, for Excel).

    >>> key_csv({"P002": "Bo Li", "P001": "Ann Clark"}).decode("utf-8-sig").splitlines()
    ['Code,Real name', 'P001,Ann Clark', 'P002,Bo Li']
    """
    from mapping.io.tabular_write import write_table_csv  # no formula runs from a name

    return write_table_csv(["Code", "Real name"], sorted(key.items()))
