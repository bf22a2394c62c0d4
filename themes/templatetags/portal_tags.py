"""Small template helpers of the public portal."""

from __future__ import annotations

from urllib.parse import urlencode

from django import template
from django.utils.safestring import mark_safe
from wagtail import hooks

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


@register.simple_tag(takes_context=True)
def home_boxes(context) -> str:
    """The boxes other apps put on a site's home page (the published 年度报表, …), each from a
    ``zq_home_page_boxes`` hook called with the request. Why a hook: the themes stay below the cluster's
    apps (no theme imports a platform app), and a project without those apps — the plain Wagtail
    project the portal bench compares with — renders the same templates with no box."""
    request = context.get("request")
    return mark_safe("".join(str(box(request) or "") for box in hooks.get_hooks("zq_home_page_boxes")))  # noqa: S308 - each hook returns rendered, escaped template output
