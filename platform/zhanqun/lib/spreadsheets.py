"""Cells that are safe to open in a spreadsheet: no text is ever run as a formula.

A value such as ``=HYPERLINK("http://x","y")`` (a page title, a login name typed by anyone at the
login form) would be evaluated by Excel or WPS when an operator opens an exported CSV. Following
OWASP's advice, text starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is prefixed
with ``'`` so spreadsheets show it as text. Every export of the platform (audit log, closure plans and
offline reports, bulk-import reports) goes through :func:`neutralise_formula`.
"""

from __future__ import annotations

from typing import Any

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value
