"""Gould & Fernandez brokerage roles: how the middle person of an open path links groups.

The roles are counted by :func:`mapping.analysis.fast_brokerage.undirected_role_counts`
(sparse-matrix products over the tie graph); the path-by-path count of the definition is the
tests' oracle (``tests/oracles.py``).
"""

from __future__ import annotations

from mapping.analysis.sources import GOULD_FERNANDEZ_1989

__all__ = ["METHOD", "SOURCE", "ROLES"]

METHOD = (
    "Counts each open path a -> b -> c (no tie a -> c) once for the middle person b, in the "
    "role its three groups give (Gould & Fernandez 1989); undirected ties count both ways."
)

SOURCE = GOULD_FERNANDEZ_1989

#: Gould & Fernandez's five roles of the middle person b on a path a -> b -> c: coordinator
#: (all one group), gatekeeper (b and c share a group, a outside), representative (a and b
#: share a group, c outside), consultant (a and c share a group, b outside), liaison (all
#: different). A tie c -> a does not close the path a -> b -> c.
ROLES: tuple[str, ...] = ("coordinator", "gatekeeper", "representative", "consultant", "liaison")
