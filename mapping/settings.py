"""Settings: the thresholds analysis uses, declared as data with their help text."""

from __future__ import annotations

from dataclasses import dataclass, fields

__all__ = ["Settings", "SETTING_HELP"]


@dataclass(frozen=True)
class Settings:
    """Thresholds that shape the findings; every field is documented in ``SETTING_HELP``.

    >>> Settings().stale_months
    12
    """

    stale_months: int = 12
    high_influence: int = 4
    strong_tie: int = 3
    high_interest: int = 4
    recruit_top: int = 5

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if not isinstance(value, int) or value < 1:
                msg = f"Setting {f.name} must be a whole number of at least 1, got {value!r}."
                raise ValueError(msg)


SETTING_HELP: dict[str, str] = {
    "stale_months": "A relationship not confirmed for this many months counts as stale.",
    "high_influence": "Stakeholders rated at least this influence (1-5) count as key players.",
    "strong_tie": "A relationship of at least this strength (1-5) counts as strong.",
    "high_interest": "Stakeholders rated at least this interest (1-5) count as highly interested.",
    "recruit_top": "How many people the 'who to bring in next' list suggests.",
}
