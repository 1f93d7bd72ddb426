"""The one exception hierarchy of Coalition Mapper, with messages written for people."""

from __future__ import annotations

__all__ = [
    "MappingError",
    "ValidationError",
    "FormatError",
    "NotFoundError",
    "ConflictError",
]


class MappingError(Exception):
    """Base class for every error a user can act on.

    The message says what is wrong and how to fix it; the UI shows it with ``st.error`` and
    the command line prints it on one line.
    """


class ValidationError(MappingError):
    """A map, stakeholder or relationship breaks a rule; ``problems`` lists each one.

    Examples
    --------
    >>> err = ValidationError(["Stakeholder 'a': influence must be 1-5, got 9."])
    >>> str(err)
    "Stakeholder 'a': influence must be 1-5, got 9."
    >>> err.problems
    ("Stakeholder 'a': influence must be 1-5, got 9.",)
    """

    def __init__(self, problems: list[str] | tuple[str, ...] | str) -> None:
        if isinstance(problems, str):
            problems = [problems]
        self.problems = tuple(problems)
        super().__init__("\n".join(self.problems))


class FormatError(MappingError):
    """A file could not be read or written in the format asked for."""


class NotFoundError(MappingError):
    """A map, stakeholder or relationship that was asked for does not exist."""


class ConflictError(MappingError):
    """Someone else changed the same record since it was loaded."""
