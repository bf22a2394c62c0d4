"""Bulk site creation from a CSV file (one site per row).

Each row is its own transaction: a bad row is reported with its line number and reason and never
leaves a half-made site; the good rows are created. Parents may be defined earlier in the same file.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError

from tenants.provisioning import ProvisionResult, SiteSpec, provision_site

COLUMNS = [
    "name", "slug", "kind", "parent_slug", "domain", "aliases", "theme",
    "site_code", "icp_number", "police_number", "organiser", "operator", "contact",
]  # fmt: skip
REQUIRED = ["name", "slug", "kind"]


@dataclass
class RowError:
    line: int
    slug: str
    message: str


def read_specs(path: Path) -> list[tuple[int, SiteSpec | RowError]]:
    """Parse the CSV (UTF-8, with or without BOM); aliases are separated by ``;`` or ``|``."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in REQUIRED if c not in (reader.fieldnames or [])]
        if missing:
            raise ValueError(f"CSV 缺少必需的列：{', '.join(missing)}（可用列：{', '.join(COLUMNS)}）")
        rows: list[tuple[int, SiteSpec | RowError]] = []
        for line, row in enumerate(reader, start=2):
            values = {key: (row.get(key) or "").strip() for key in COLUMNS}
            empty = [c for c in REQUIRED if not values[c]]
            if empty:
                rows.append((line, RowError(line, values["slug"], f"缺少必填项：{', '.join(empty)}")))
                continue
            aliases = [a.strip() for a in values.pop("aliases").replace("|", ";").split(";") if a.strip()]
            rows.append((line, SiteSpec(aliases=aliases, **{k: v for k, v in values.items() if k != "aliases"})))
        return rows


def create_sites(
    rows: Iterable[tuple[int, SiteSpec | RowError]], on_row: Callable[[], None] = lambda: None, by: str = ""
) -> tuple[list[ProvisionResult], list[RowError]]:
    created: list[ProvisionResult] = []
    errors: list[RowError] = []
    for line, spec in rows:
        if isinstance(spec, RowError):
            errors.append(spec)
        else:
            try:
                created.append(provision_site(spec, by=by or None))
            except ValidationError as exc:
                errors.append(RowError(line, spec.slug, _flatten(exc)))
        on_row()
    return created, errors


def _flatten(exc: ValidationError) -> str:
    if hasattr(exc, "message_dict"):
        return "；".join(" ".join(messages) for messages in exc.message_dict.values())
    return "；".join(exc.messages)
