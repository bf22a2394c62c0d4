"""Spreadsheet exports that are safe to open: no cell is ever run as a formula.

A value such as ``=HYPERLINK("http://x","y")`` (a page title, a login name typed by anyone at the
login form) would be evaluated by Excel or WPS when an operator opens the CSV. Following OWASP's
advice, text starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is prefixed with
``'`` so spreadsheets show it as text. Applied to XLSX too, so both files read the same.
"""

from __future__ import annotations

from typing import Any

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


class FormulaSafeExportMixin:
    """For any view using Wagtail's ``SpreadsheetExportMixin`` (index views with ``list_export``)."""

    def preprocess_field_value(self, field: str, value: Any, export_format: str) -> Any:
        return neutralise_formula(super().preprocess_field_value(field, value, export_format))
