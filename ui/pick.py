"""Choosing by identity: labels that tell every option apart, and buttons that act once.

A Streamlit select box sends the chosen option's label back to the app, not its position:
options with the same label are one option to the browser, and choosing either gives the
last. So every picker of maps, snapshots, raters or people keeps the item's id as its value
and shows it under a label no other option has (:func:`distinct`).

A button that creates something takes its key from :func:`once_key`; :func:`spend` changes
the key before the thing is made, so a second click sent while the first was being handled
belongs to a button that is no longer there and does nothing.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Mapping
from typing import TypeVar

import streamlit as st

from mapping.storage.history import Snapshot
from mapping.storage.store import MapInfo
from ui.text import plain

K = TypeVar("K", bound=Hashable)

__all__ = ["distinct", "map_labels", "snapshot_labels", "once_key", "spend"]


def distinct(labels: Mapping[K, str], detail: Callable[[K], str] | None = None) -> dict[K, str]:
    """``labels`` with every label told apart, in the same order.

    A label several items share gets ``detail(key)`` in brackets; any still shared are
    numbered in the order given (callers give a stable order, such as by id).

    >>> distinct({1: "Board", 2: "Board", 3: "Plan"})
    {1: 'Board', 2: 'Board · 2', 3: 'Plan'}
    >>> distinct({"a": "Sam", "b": "Sam"}, detail=str.upper)
    {'a': 'Sam (A)', 'b': 'Sam (B)'}
    """
    out = dict(labels)
    if detail is not None:
        shared = Counter(out.values())
        out = {k: f"{v} ({detail(k)})" if shared[v] > 1 else v for k, v in out.items()}
    taken = set(out.values())
    seen: set[str] = set()
    for k, v in out.items():
        if v in seen:
            n = 2
            while f"{v} · {n}" in taken:
                n += 1
            out[k] = f"{v} · {n}"
            taken.add(out[k])
        seen.add(out[k])
    return out


def map_labels(maps: Iterable[MapInfo]) -> dict[int, str]:
    """Map id -> "Name (N people)", with the time it was made where names repeat."""
    infos = sorted(maps, key=lambda info: info.id)
    names = Counter(info.name.strip().casefold() for info in infos)
    labels = {}
    for info in infos:
        label = f"{plain(info.name)} ({info.stakeholders} people"
        if names[info.name.strip().casefold()] > 1 and info.created_at is not None:
            label += f", made {info.created_at.astimezone():%d %b %Y %H:%M:%S}"
        labels[info.id] = label + ")"
    return distinct(labels)


def snapshot_labels(snaps: Iterable[Snapshot]) -> dict[int, str]:
    """Snapshot id -> "date time (to the second) · name", numbered if two are still alike."""
    ordered = sorted(snaps, key=lambda s: s.id)
    labels = {
        s.id: f"{s.taken_at.astimezone():%Y-%m-%d %H:%M:%S} · {plain(s.name)}" for s in ordered
    }
    return distinct(labels)


def once_key(name: str) -> str:
    """The key of the button ``name`` until it has acted (see :func:`spend`)."""
    return f"{name}-{st.session_state.get(f'once-{name}', 0)}"


def spend(name: str) -> None:
    """The button ``name`` has acted: a click already sent for it does nothing."""
    st.session_state[f"once-{name}"] = st.session_state.get(f"once-{name}", 0) + 1
