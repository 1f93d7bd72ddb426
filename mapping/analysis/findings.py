"""Findings: the plain-language currency of the gap report, the UI and the command line."""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Severity", "Finding", "sort_findings"]


class Severity(enum.StrEnum):
    """How urgently a finding needs attention, most urgent first."""

    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"
    INFO = "info"

    @property
    def rank(self) -> int:
        """0 for high, 3 for info: sorts the most urgent first."""
        return list(Severity).index(self)


@dataclass(frozen=True)
class Finding:
    """One thing a system leader should know, and what to do about it.

    ``code`` is a stable identifier of the kind of finding (``"coverage.no-member"``), for
    programs; ``stakeholders`` and ``ties`` (pairs of stakeholder ids) are what the map
    highlights; ``evidence`` holds the numbers behind it; ``actor`` is the id of the person
    best placed to act on it, when the analysis knows one (``None`` otherwise).

    >>> f = Finding(code="x", severity=Severity.HIGH, title="T", explanation="E", action="A")
    >>> f.to_dict()["severity"]
    'high'
    """

    code: str
    severity: Severity
    title: str
    explanation: str
    action: str
    stakeholders: tuple[str, ...] = ()
    ties: tuple[tuple[str, str], ...] = ()
    evidence: Mapping[str, Any] = field(default_factory=dict, hash=False)
    actor: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data."""
        return {
            "code": self.code,
            "severity": self.severity.value,
            "title": self.title,
            "explanation": self.explanation,
            "action": self.action,
            "stakeholders": list(self.stakeholders),
            "ties": [list(t) for t in self.ties],
            "evidence": dict(self.evidence),
            "actor": self.actor,
        }


def sort_findings(findings: Iterable[Finding]) -> list[Finding]:
    """Most severe first; ties keep their order.

    >>> a = Finding("a", Severity.LOW, "a", "", "")
    >>> b = Finding("b", Severity.HIGH, "b", "", "")
    >>> [f.code for f in sort_findings([a, b])]
    ['b', 'a']
    """
    return sorted(findings, key=lambda f: f.severity.rank)
