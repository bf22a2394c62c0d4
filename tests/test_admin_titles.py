"""Every plain admin screen is headed by its own name, not by the dashboard's (首页)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests.console_helpers import operator_client


@pytest.mark.parametrize(
    ("url_name", "title"),
    [("console_tasks", "后台任务"), ("inspection_index", "网站普查"), ("sitesearch_dictionary", "搜索词典")],
)
def test_an_operator_screen_is_headed_by_its_name(cluster, url_name, title):
    html = operator_client("ops-titles").get(reverse(url_name)).content.decode()
    # Wagtail's slim header shows the breadcrumb trail (the <h1> is for screen readers only)
    trail = re.search(r"<header.*?(<ol.*?</ol>)", html, re.S)
    assert trail is not None and title in trail.group(1), trail and trail.group(1)
