"""Bulk site creation from a CSV file (one site per row).

Every row is tried and every row is reported: a bad row (missing or malformed values, a NUL byte, a
field over 128 KiB, an unexpected failure) gets its line number and reason and never leaves a
half-made site; the good rows, before and after it, are created. Each row is its own transaction.
Parents may be defined earlier in the same file.

Flat per row, from the first to the thousandth: each row runs on a fresh database session. One
session reused for the whole run keeps a relation-cache entry for every table of every site it
created (~134 memory contexts a site, 5,000 after 40 sites), and each later row's catalog work got
slower with it (backend CPU a row +30 % after 40 rows; a 400-row run went from 2 s to 5 s a row).
Reconnecting costs a few milliseconds. Meanwhile the warm pool is topped up in the background
(``tenants.pool.BackgroundTopUp``), so most rows claim a spare instead of replaying the template.
"""

from __future__ import annotations

import contextlib
import csv
import io
import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import connection

from tenants.lib.plain_text import shorten
from tenants.pool import BackgroundTopUp
from tenants.provisioning import ProvisionResult, SiteSpec, field_label, format_errors, provision_site

logger = logging.getLogger(__name__)

COLUMNS = [
    "name", "slug", "kind", "parent_slug", "domain", "aliases", "theme",
    "site_code", "icp_number", "police_number", "organiser", "operator", "contact",
]  # fmt: skip
REQUIRED = ["name", "slug", "kind"]
MAX_FIELD_CHARS = 128 * 1024  # the csv module's own default limit, now reported per row instead of aborting


@dataclass
class RowError:
    line: int
    slug: str
    message: str

    def __post_init__(self) -> None:
        self.slug = shorten(self.slug, 40)


def read_specs(path: Path) -> list[tuple[int, SiteSpec | RowError]]:
    """Parse the CSV (UTF-8, with or without BOM); aliases are separated by ``;`` or ``|``.

    Raises ValueError (with the line) only for what spoils the whole file: not UTF-8, or no header.
    """
    text = _decode(path.read_bytes())
    with _field_limit(len(text) + 1):  # parse every field; refuse the oversized ones row by row
        reader = csv.reader(io.StringIO(text, newline=""))
        header = [name.strip() for name in next(reader, [])]
        missing = [c for c in REQUIRED if c not in header]
        if missing:
            raise ValueError(f"CSV 缺少必需的列：{', '.join(missing)}（可用列：{', '.join(COLUMNS)}）")
        rows: list[tuple[int, SiteSpec | RowError]] = []
        line = reader.line_num + 1
        for values in reader:
            if any(value.strip() for value in values):
                rows.append((line, _row_to_spec(line, header, values)))
            line = reader.line_num + 1  # a quoted field may span lines: report where each row starts
        return rows


def _row_to_spec(line: int, header: list[str], cells: list[str]) -> SiteSpec | RowError:
    row = dict(zip(header, cells, strict=False))
    slug = (row.get("slug") or "").strip()
    if len(cells) > len(header):
        extra = len(cells) - len(header)
        return RowError(line, slug, f"本行比表头多 {extra} 个值（名称等含逗号的值需用英文双引号括起来）")
    too_long = [key for key, value in row.items() if len(value) > MAX_FIELD_CHARS]
    if too_long:
        fields = "、".join(field_label(key) for key in too_long)
        return RowError(line, slug, f"{fields}过长（超过 {MAX_FIELD_CHARS // 1024} KiB），本行未创建")
    values = {key: (row.get(key) or "").strip() for key in COLUMNS}
    empty = [c for c in REQUIRED if not values[c]]
    if empty:
        return RowError(line, slug, f"缺少必填项：{', '.join(empty)}")
    aliases = [a.strip() for a in values.pop("aliases").replace("|", ";").split(";") if a.strip()]
    return SiteSpec(aliases=aliases, **values)


def create_sites(
    rows: Iterable[tuple[int, SiteSpec | RowError]],
    on_row: Callable[[], None] = lambda: None,
    by: str = "",
    pool_size: int = 0,
) -> tuple[list[ProvisionResult], list[RowError]]:
    """Provision each row; never stop early. Unexpected failures are logged and reported like bad input.

    ``pool_size`` > 0 keeps that many spares ready from a background thread during the run. Inside a
    caller's transaction (tests) neither the background refill nor the fresh sessions happen: the
    caller's transaction must stay the one connection's."""
    created: list[ProvisionResult] = []
    errors: list[RowError] = []
    standalone = not connection.in_atomic_block
    with BackgroundTopUp(pool_size if standalone else 0):
        for line, spec in rows:
            if isinstance(spec, RowError):
                errors.append(spec)
            else:
                try:
                    created.append(provision_site(spec, by=by or None))
                except ValidationError as exc:
                    errors.append(RowError(line, spec.slug, format_errors(exc)))
                except Exception as exc:  # noqa: BLE001 - one row's failure must not stop the others
                    logger.exception("create_sites: line %s (%s) failed", line, shorten(spec.slug))
                    errors.append(RowError(line, spec.slug, f"创建失败，已回滚，未留下任何内容：{shorten(exc, 200)}"))
                if standalone:
                    connection.close()  # a fresh session for the next row (see the module's docstring)
            on_row()
    return created, errors


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise ValueError(f"第 {line} 行不是 UTF-8 编码：请把文件另存为 UTF-8（CSV UTF-8）后重试。") from None


@contextlib.contextmanager
def _field_limit(limit: int) -> Iterator[None]:
    """Raise the csv module's (process-wide) field limit while one file is parsed."""
    previous = csv.field_size_limit(max(limit, csv.field_size_limit()))
    try:
        yield
    finally:
        csv.field_size_limit(previous)
