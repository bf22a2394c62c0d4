"""Small template helpers of the public portal."""

from __future__ import annotations

from urllib.parse import urlencode

from django import template

register = template.Library()


@register.filter
def digits(value) -> str:
    """Only the digits of ``value``: the public-security filing site looks a record up by its number
    (``京公网安备11010502030143号`` → ``11010502030143``)."""
    return "".join(ch for ch in str(value or "") if ch.isdigit())


@register.simple_tag
def facet_query(selected: dict, key: str, value="") -> str:
    """A query string keeping the other selected filters and setting ``key`` (removing it when
    ``value`` is empty), so facets combine (主题 + 年份) instead of replacing each other. The page
    number is dropped: a new filter starts on page 1."""
    params = {name: chosen for name, chosen in selected.items() if chosen not in (None, "") and name != key}
    if value not in (None, ""):
        params[key] = value
    return "?" + urlencode(params)
