"""What people searched for on a site, counted (never who, never when exactly): the hot searches
offered when nothing was found, and the zero-result list editors read to fill the gaps."""

from __future__ import annotations

import re

from django.db import connection
from django.db.models import F
from django.utils import timezone

from sitesearch.models import QueryStat

MAX_LOGGED_CHARS = 100


def normalized(query: str) -> str:
    return re.sub(r"\s+", " ", query).strip()[:MAX_LOGGED_CHARS]


def count_search(site_id: int, query: str, found: bool) -> None:
    """One search of ``query`` on the site: +1, and +1 zero-result when nothing was found."""
    query = normalized(query)
    if not query:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {QueryStat._meta.db_table} (site_id, query, searches, zero_results, last_searched)
            VALUES (%s, %s, 1, %s, %s)
            ON CONFLICT (site_id, query) DO UPDATE SET
                searches = {QueryStat._meta.db_table}.searches + 1,
                zero_results = {QueryStat._meta.db_table}.zero_results + EXCLUDED.zero_results,
                last_searched = EXCLUDED.last_searched
            """,
            [site_id, query, 0 if found else 1, timezone.localdate()],
        )


def hot_searches(site_id: int, limit: int = 8) -> list[str]:
    """The site's most searched queries that found something (suggestions for an empty result)."""
    rows = QueryStat.objects.filter(site_id=site_id, searches__gt=F("zero_results")).order_by("-searches", "query")
    return list(rows.values_list("query", flat=True)[:limit])


def zero_result_queries(site_id: int):
    """For the site's editors: what was searched and never found, most frequent first."""
    return QueryStat.objects.filter(site_id=site_id, zero_results__gt=0).order_by("-zero_results", "-last_searched")


def top_queries(site_id: int):
    return QueryStat.objects.filter(site_id=site_id).order_by("-searches", "-last_searched")
