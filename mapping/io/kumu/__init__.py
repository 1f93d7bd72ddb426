"""Kumu import and export: the one module the app and the CLI reach Kumu files through."""

from __future__ import annotations

from mapping.io.kumu.fields import KumuFields, suggest_fields
from mapping.io.kumu.read import (
    FieldSummary,
    KumuImport,
    KumuPreview,
    import_kumu,
    inspect_kumu,
    read_kumu,
)
from mapping.io.kumu.write import write_kumu_json, write_kumu_xlsx

__all__ = [
    "KumuFields",
    "FieldSummary",
    "KumuPreview",
    "KumuImport",
    "inspect_kumu",
    "import_kumu",
    "read_kumu",
    "suggest_fields",
    "write_kumu_xlsx",
    "write_kumu_json",
]
