"""Settings: validated, stored in the database, every one documented."""

from __future__ import annotations

from dataclasses import fields

import pytest

from mapping.errors import ValidationError
from mapping.model.settings import SETTING_HELP, SETTING_LABELS, Settings
from mapping.storage.store import Store
from tests.conftest import ROOT


def test_every_setting_has_a_label_help_and_documentation():
    doc = (ROOT / "docs" / "settings.md").read_text(encoding="utf-8")
    for f in fields(Settings):
        assert SETTING_HELP[f.name] and SETTING_LABELS[f.name]
        assert f"| {SETTING_LABELS[f.name]} | `{f.name}` | {f.default} |" in doc


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"stale_months": 0}, "Stale after"),
        ({"high_influence": 6}, "1-5 scale"),
        ({"strong_tie": True}, "Strong tie"),
    ],
)
def test_out_of_range_settings_are_refused(values, message):
    with pytest.raises(ValidationError, match=message):
        Settings(**values)


def test_settings_survive_a_restart(tmp_path):
    url = f"sqlite:///{tmp_path / 's.db'}"
    Store(url).save_settings(Settings(stale_months=6, recruit_top=8).to_dict())
    again = Settings.from_dict(Store(url).load_settings())
    assert (again.stale_months, again.recruit_top, again.high_influence) == (6, 8, 4)
    Store(url).save_settings({})
    assert Settings.from_dict(Store(url).load_settings()) == Settings()
