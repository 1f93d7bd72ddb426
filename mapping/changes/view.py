"""What part of a map to show: a filter that narrows a map, kept in the page's URL."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields, replace

from mapping.errors import NotFoundError, ValidationError
from mapping.model import Map, Stance

__all__ = [
    "COALITION_CHOICES",
    "ViewFilter",
    "apply_view",
    "matching",
    "hidden_near_focus",
    "to_query_params",
    "from_query_params",
]

COALITION_CHOICES: tuple[str, ...] = ("all", "members", "non-members")

_SEP = "|"


def _texts(values: Iterable[str] | str, name: str) -> tuple[str, ...]:
    if isinstance(values, str):
        msg = f"View filter: {name} must be a list of values, not the text {values!r}."
        raise ValidationError(msg)
    out: list[str] = []
    for value in values:
        text = str(value).strip()
        if text and text not in out:
            out.append(text)
    return tuple(out)


@dataclass(frozen=True)
class ViewFilter:
    """Which stakeholders and ties to show; the defaults show the whole map.

    Empty ``perspectives``, ``stances`` or ``relationship_types`` mean "all". ``coalition``
    is ``"all"``, ``"members"`` or ``"non-members"``. ``focus`` (a stakeholder id) keeps
    people within ``steps`` ties of that person, through any tie that passes the tie filters.
    ``search`` hides nobody: the page highlights the people it finds (see :func:`matching`).
    ``hide_isolated`` drops people left with no tie on screen.

    >>> ViewFilter(stances=["Sceptic"]).stances
    ('sceptic',)
    >>> ViewFilter(min_strength=7)
    Traceback (most recent call last):
    ...
    mapping.errors.ValidationError: View filter: minimum strength must be a whole number from 1 to 5, got 7.
    """

    perspectives: tuple[str, ...] = ()
    stances: tuple[str, ...] = ()
    coalition: str = "all"
    relationship_types: tuple[str, ...] = ()
    min_strength: int = 1
    focus: str | None = None
    steps: int = 1
    search: str = ""
    hide_isolated: bool = False

    def __post_init__(self) -> None:
        set_ = object.__setattr__
        set_(self, "perspectives", _texts(self.perspectives, "perspectives"))
        set_(self, "relationship_types", _texts(self.relationship_types, "relationship types"))
        try:
            stances = tuple(Stance.parse(s).value for s in _texts(self.stances, "stances"))
        except ValidationError as err:
            msg = f"View filter: {err}"
            raise ValidationError(msg) from None
        set_(self, "stances", tuple(dict.fromkeys(stances)))
        coalition = str(self.coalition).strip().lower()
        if coalition not in COALITION_CHOICES:
            msg = (
                f"View filter: coalition must be one of {', '.join(COALITION_CHOICES)}, "
                f"got {self.coalition!r}."
            )
            raise ValidationError(msg)
        set_(self, "coalition", coalition)
        strength = self.min_strength
        if isinstance(strength, bool) or not isinstance(strength, int) or not 1 <= strength <= 5:
            msg = f"View filter: minimum strength must be a whole number from 1 to 5, got {strength!r}."
            raise ValidationError(msg)
        steps = self.steps
        if isinstance(steps, bool) or not isinstance(steps, int) or steps < 0:
            msg = f"View filter: steps must be a whole number, 0 or more, got {steps!r}."
            raise ValidationError(msg)
        focus = str(self.focus).strip() if self.focus is not None else ""
        set_(self, "focus", focus or None)
        set_(self, "search", str(self.search or "").strip())
        set_(self, "hide_isolated", bool(self.hide_isolated))

    @property
    def is_everything(self) -> bool:
        """Whether this filter shows the whole map (a search hides nobody).

        >>> ViewFilter().is_everything, ViewFilter(search="ann").is_everything
        (True, True)
        >>> ViewFilter(focus="ann").is_everything
        False
        """
        return replace(self, search="") == ViewFilter()


def _within(ties: Sequence, focus: str, steps: int) -> set[str]:
    """Stakeholder ids at most ``steps`` ties from ``focus``, ignoring direction.

    One pass over the ties per step, with no table of everyone's neighbours: on a map of
    50,000 people the focused view needs only the few near the focus.
    """
    seen = {focus}
    frontier = {focus}
    for _ in range(steps):
        found: set[str] = set()
        for r in ties:
            if r.source in frontier:
                if r.target not in seen:
                    found.add(r.target)
            elif r.target in frontier and r.source not in seen:
                found.add(r.source)
        if not found:
            break
        seen |= found
        frontier = found
    return seen


#: The page's names of the filters, as :func:`hidden_near_focus` reports them.
PERSPECTIVES = "Perspectives"
STANCES = "Stances"
COALITION = "Coalition"
TIE_FILTERS = "Relationship types and minimum strength"
NO_TIE = "Hide people with no tie on screen"


def _ties_passing(m: Map, view: ViewFilter) -> list:
    types = set(view.relationship_types)
    return [
        r
        for r in m.relationships
        if (not types or r.type in types) and r.strength >= view.min_strength
    ]


def _hiding_filter(s, view: ViewFilter) -> str | None:
    """The first people filter of ``view`` that hides ``s``, or ``None``."""
    if view.perspectives and s.perspective not in view.perspectives:
        return PERSPECTIVES
    if view.stances and s.stance.value not in view.stances:
        return STANCES
    if (view.coalition == "members" and not s.coalition) or (
        view.coalition == "non-members" and s.coalition
    ):
        return COALITION
    return None


def _check_focus(m: Map, focus: str) -> None:
    if focus not in {s.id for s in m.stakeholders}:
        msg = (
            f"The focus stakeholder {focus!r} is not on this map; "
            "clear the focus or choose someone on the map."
        )
        raise NotFoundError(msg)


def apply_view(m: Map, view: ViewFilter) -> Map:
    """The part of ``m`` that ``view`` shows, as a map of its own (``m`` is unchanged).

    Ties are kept when their type and strength pass and both people are shown. The focus
    person is always shown; other filters narrow their neighbourhood (and
    :func:`hidden_near_focus` says whom). A search hides nobody.

    >>> from mapping.model import Stakeholder, Relationship
    >>> m = Map(name="M", stakeholders=(Stakeholder("a", "Ann"), Stakeholder("b", "Bo"),
    ...                                 Stakeholder("c", "Cy")),
    ...         relationships=(Relationship("r1", "a", "b", strength=4),
    ...                        Relationship("r2", "b", "c", strength=1)))
    >>> [s.id for s in apply_view(m, ViewFilter(min_strength=2, hide_isolated=True)).stakeholders]
    ['a', 'b']
    >>> [s.id for s in apply_view(m, ViewFilter(focus="c", steps=1)).stakeholders]
    ['b', 'c']
    >>> apply_view(m, ViewFilter(search="zed")) is m
    True
    """
    if view.is_everything:
        return m
    ties = _ties_passing(m, view)
    reach: set[str] | None = None
    if view.focus is not None:
        _check_focus(m, view.focus)
        reach = _within(ties, view.focus, view.steps)

    def shown(s) -> bool:
        if s.id == view.focus:
            return True
        if reach is not None and s.id not in reach:
            return False
        return _hiding_filter(s, view) is None

    people = [s for s in m.stakeholders if shown(s)]
    ids = {s.id for s in people}
    ties = [r for r in ties if r.source in ids and r.target in ids]
    if view.hide_isolated:
        linked = {r.source for r in ties} | {r.target for r in ties}
        people = [s for s in people if s.id in linked]
    return m.with_stakeholders(people).with_relationships(ties)


def matching(m: Map, text: str) -> tuple[str, ...]:
    """Ids of the people whose name or organisation contains ``text``, in any case, in the
    map's order; nobody for empty text.

    >>> from mapping.model import Stakeholder
    >>> m = Map(name="M", stakeholders=(Stakeholder("a", "Ann", "Riverside Council"),
    ...                                 Stakeholder("b", "Bo", "Trust"),
    ...                                 Stakeholder("c", "Councillor Cy")))
    >>> matching(m, " COUNCIL "), matching(m, "")
    (('a', 'c'), ())
    """
    needle = text.strip().casefold()
    if not needle:
        return ()
    return tuple(
        s.id
        for s in m.stakeholders
        if needle in s.name.casefold() or needle in s.organisation.casefold()
    )


def hidden_near_focus(m: Map, view: ViewFilter) -> dict[str, tuple[str, ...]]:
    """The people within ``view.steps`` ties of the focus person, through any tie, whom the
    view's other filters hide, by the filter that hides them (its name on the page); empty
    without a focus or when everyone near the focus is shown.

    >>> from mapping.model import Stakeholder, Relationship
    >>> m = Map(name="M", stakeholders=(Stakeholder("a", "Ann"),
    ...     Stakeholder("b", "Bo", stance="sceptic"), Stakeholder("c", "Cy")),
    ...     relationships=(Relationship("r1", "a", "b"), Relationship("r2", "a", "c", strength=1)))
    >>> hidden_near_focus(m, ViewFilter(focus="a", stances=("neutral",), min_strength=2))
    {'Relationship types and minimum strength': ('c',), 'Stances': ('b',)}
    >>> hidden_near_focus(m, ViewFilter(focus="a"))
    {}
    """
    if view.focus is None:
        return {}
    _check_focus(m, view.focus)
    near = _within(m.relationships, view.focus, view.steps)
    reach = _within(_ties_passing(m, view), view.focus, view.steps)
    shown = {s.id for s in apply_view(m, view).stakeholders}
    out: dict[str, list[str]] = {}
    for s in m.stakeholders:
        if s.id not in near or s.id in shown:
            continue
        reason = TIE_FILTERS if s.id not in reach else _hiding_filter(s, view) or NO_TIE
        out.setdefault(reason, []).append(s.id)
    order = (TIE_FILTERS, PERSPECTIVES, STANCES, COALITION, NO_TIE)
    return {name: tuple(out[name]) for name in order if name in out}


_LISTS = {"perspectives": "perspectives", "stances": "stances", "relationship_types": "types"}
_SCALARS = {
    "coalition": "coalition",
    "min_strength": "min_strength",
    "focus": "focus",
    "steps": "steps",
    "search": "q",
    "hide_isolated": "hide_isolated",
}


def _quote(text: str) -> str:
    return text.replace("%", "%25").replace(_SEP, "%7C")


def _unquote(text: str) -> str:
    return text.replace("%7C", _SEP).replace("%25", "%")


def to_query_params(view: ViewFilter) -> dict[str, str]:
    """The view as URL query parameters; settings left at their default are omitted.

    Several values are joined with ``|`` (a ``|`` or ``%`` inside a value is
    percent-encoded), so :func:`from_query_params` gives the same view back.

    >>> to_query_params(ViewFilter(perspectives=("clinical", "patient & carer"), min_strength=3))
    {'perspectives': 'clinical|patient & carer', 'min_strength': '3'}
    >>> to_query_params(ViewFilter())
    {}
    """
    default = ViewFilter()
    out: dict[str, str] = {}
    for f in fields(ViewFilter):
        value = getattr(view, f.name)
        if value == getattr(default, f.name):
            continue
        if f.name in _LISTS:
            out[_LISTS[f.name]] = _SEP.join(_quote(v) for v in value)
        elif isinstance(value, bool):
            out[_SCALARS[f.name]] = "1" if value else "0"
        else:
            out[_SCALARS[f.name]] = str(value)
    return out


def _whole(params: Mapping[str, str], key: str, default: int) -> int:
    text = params.get(key, "")
    if text == "":
        return default
    try:
        return int(text)
    except ValueError:
        msg = f"The link's {key!r} setting must be a whole number, got {text!r}."
        raise ValidationError(msg) from None


def from_query_params(params: Mapping[str, str | list[str]]) -> ViewFilter:
    """The view kept in URL query parameters; other parameters are ignored.

    A parameter given several times (a list) counts by its last value.

    >>> from_query_params({"stances": "sceptic|opposed", "q": "council", "page": "map"})
    ViewFilter(perspectives=(), stances=('sceptic', 'opposed'), coalition='all', \
relationship_types=(), min_strength=1, focus=None, steps=1, search='council', \
hide_isolated=False)
    """
    flat: dict[str, str] = {}
    for key, value in params.items():
        if isinstance(value, list | tuple):
            value = value[-1] if value else ""
        flat[str(key)] = str(value)
    lists = {
        name: tuple(_unquote(v) for v in flat[key].split(_SEP)) if flat.get(key) else ()
        for name, key in _LISTS.items()
    }
    hide = flat.get("hide_isolated", "0").strip().lower()
    if hide not in ("", "0", "1", "true", "false"):
        msg = f"The link's 'hide_isolated' setting must be 1 or 0, got {hide!r}."
        raise ValidationError(msg)
    return ViewFilter(
        **lists,
        coalition=flat.get("coalition", "all") or "all",
        min_strength=_whole(flat, "min_strength", 1),
        focus=flat.get("focus") or None,
        steps=_whole(flat, "steps", 1),
        search=flat.get("q", ""),
        hide_isolated=hide in ("1", "true"),
    )
