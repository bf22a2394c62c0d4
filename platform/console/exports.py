"""Wagtail's spreadsheet exports made safe to open (see ``zhanqun.lib.spreadsheets``)."""

from __future__ import annotations

from typing import Any

from zhanqun.lib.spreadsheets import neutralise_formula


class FormulaSafeExportMixin:
    """For any view using Wagtail's ``SpreadsheetExportMixin`` (index views with ``list_export``)."""

    def preprocess_field_value(self, field: str, value: Any, export_format: str) -> Any:
        return neutralise_formula(super().preprocess_field_value(field, value, export_format))
