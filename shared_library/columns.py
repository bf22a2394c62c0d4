"""The real columns (栏目) of sites, read from each site's own schema.

A syndication names a column by its slug; the column must exist (live) on every target site, or
the resource would be "shown" in a column nobody can open. Columns live in each site's schema, so
they are read with one UNION ALL query over the target schemas (chunked), not one query per site:
syndicating to hundreds of sites stays a handful of queries.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import connection
from django.utils.translation import gettext as _
from wagtail.models import Page

from tenants.content.models import ColumnPage
from tenants.models import Site

CHUNK = 200


def _existing_schemas(names: list[str]) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT nspname FROM pg_namespace WHERE nspname = ANY(%s)", [names])
        return {row[0] for row in cursor.fetchall()}


def site_columns(sites: Iterable[Site]) -> dict[int, dict[str, str]]:
    """``{site id: {slug: title}}`` of every live column of each site (a site without a schema of
    its own has none)."""
    sites = list(sites)
    columns: dict[int, dict[str, str]] = {site.pk: {} for site in sites}
    existing = _existing_schemas([site.schema_name for site in sites])
    sites = [site for site in sites if site.schema_name in existing]
    quote = connection.ops.quote_name
    page_table, column_table = quote(Page._meta.db_table), quote(ColumnPage._meta.db_table)
    link = quote(ColumnPage._meta.pk.column)
    for start in range(0, len(sites), CHUNK):
        chunk = sites[start : start + CHUNK]
        parts = [
            f"SELECT %s::bigint, p.slug, p.title FROM {quote(site.schema_name)}.{page_table} p "
            f"JOIN {quote(site.schema_name)}.{column_table} c ON c.{link} = p.id WHERE p.live"
            for site in chunk
        ]
        with connection.cursor() as cursor:
            cursor.execute(" UNION ALL ".join(parts), [site.pk for site in chunk])
            for site_id, slug, title in cursor.fetchall():
                columns[site_id].setdefault(slug, title)
    return columns


def column_choices(sites: Iterable[Site]) -> list[tuple[str, str]]:
    """Choices for picking a column: every slug found on the sites, the most common first, labelled
    with its titles and how many of the sites have it."""
    sites = list(sites)
    titles: dict[str, list[str]] = defaultdict(list)
    for columns in site_columns(sites).values():
        for slug, title in columns.items():
            titles[slug].append(title)
    ordered = sorted(titles, key=lambda slug: (-len(titles[slug]), slug))
    return [
        (
            slug,
            _("%(titles)s（%(slug)s，%(count)d/%(total)d 个站点有此栏目）")
            % {
                "titles": "／".join(dict.fromkeys(titles[slug])),
                "slug": slug,
                "count": len(titles[slug]),
                "total": len(sites),
            },
        )
        for slug in ordered
    ]


def check_column(sites: Iterable[Site], slug: str) -> None:
    """Refuse a column some target sites lack, naming each of them."""
    sites = list(sites)
    columns = site_columns(sites)
    missing = [site for site in sites if slug not in columns[site.pk]]
    if missing:
        raise ValidationError(
            [
                ValidationError(_("%(site)s 没有“%(column)s”栏目。") % {"site": site.name, "column": slug})
                for site in missing
            ]
        )
