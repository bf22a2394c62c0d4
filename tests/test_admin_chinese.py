"""Everything a person reads in the admin on the review flows is Chinese."""

from __future__ import annotations

import json
import re

from django.urls import reverse
from django_tenants.utils import schema_context
from wagtail.models import WorkflowState

from identity import services
from tests.helpers import client_for
from tests.people import add_article, article_by_title, article_form, column_id, logged_in, person
from tests.visible_text import english_words, visible_text


def _task_state(site, page):
    with schema_context(site.schema_name):
        return WorkflowState.objects.filter(object_id=str(page.pk)).order_by("-created_at").first().current_task_state


def _screens(cluster):
    town, county = cluster["township"], cluster["county_a"]
    # people are shown by their names (a login name is Latin by nature)
    services.grant_role(person("cn-clerk", display_name="李报送"), town, "submitter", columns=["news"], by="test")
    services.grant_role(person("cn-editor", display_name="王审核"), county, "editor", by="test")
    clerk = logged_in(town, "cn-clerk")
    add_article(clerk, town, "news", "中文界面检查稿件", action="action-submit")
    page = article_by_title(town, "中文界面检查稿件")
    task_state = _task_state(town, page)
    reviewer = logged_in(county, "cn-editor")
    reviewer_in_town = logged_in(town, "cn-editor")
    news = column_id(town, "news")
    return {
        "login": (client_for(town), reverse("wagtailadmin_login")),
        "clerk dashboard": (clerk, reverse("wagtailadmin_home")),
        "clerk explorer": (clerk, reverse("wagtailadmin_explore", args=(news,))),
        "clerk add article": (clerk, reverse("wagtailadmin_pages:add", args=("content", "articlepage", news))),
        "clerk choose type": (clerk, reverse("wagtailadmin_pages:add_subpage", args=(news,))),
        "clerk edit": (clerk, reverse("wagtailadmin_pages:edit", args=(page.pk,))),
        "reviewer dashboard": (reviewer, reverse("wagtailadmin_home")),
        "reviewer queue": (reviewer, reverse("review_queue")),
        "reviewer in township": (reviewer_in_town, reverse("wagtailadmin_pages:edit", args=(page.pk,))),
        "reviewer approve modal": (
            reviewer_in_town,
            reverse("wagtailadmin_pages:workflow_action", args=(page.pk, "approve", task_state.pk)),
        ),
    }


def test_the_review_flow_screens_show_no_english(cluster):
    leftovers = {}
    for name, (client, url) in _screens(cluster).items():
        response = client.get(url)
        assert response.status_code == 200, (name, response.status_code)
        html = (
            response.json()["html"]
            if response["Content-Type"].startswith("application/json")
            else (response.content.decode())
        )
        words = english_words(visible_text(html))
        if words:
            leftovers[name] = words
    assert not leftovers, json.dumps(leftovers, ensure_ascii=False)


def test_the_admin_is_branded_as_the_site_and_the_workflow_has_chinese_names(cluster):
    screens = _screens(cluster)
    town, county = cluster["township"], cluster["county_a"]
    login_html = screens["login"][0].get(screens["login"][1]).content.decode()
    assert f"登录{town.name}" in login_html and "Wagtail" not in visible_text(login_html)
    clerk, home = screens["clerk dashboard"]
    assert re.search(rf"<h1 class=\"w-h1 w-mt-0\">\s*{town.name}\s*</h1>", clerk.get(home).content.decode())
    reviewer, home = screens["reviewer dashboard"]
    dashboard = reviewer.get(home).content.decode()
    assert county.name in dashboard and "站群平台</h1>" not in dashboard
    client, url = screens["clerk edit"]
    edit = client.get(url).content.decode()
    assert "审核发布" in edit and "Moderators" not in edit


def test_a_refused_article_form_says_why_in_chinese(cluster):
    """An article sent without its title comes back with Wagtail's summary message in Chinese too
    (it was the one English sentence left on the clerk's screens)."""
    town = cluster["township"]
    services.grant_role(person("cn-empty", display_name="赵报送"), town, "submitter", columns=["news"], by="test")
    clerk = logged_in(town, "cn-empty")
    url = reverse("wagtailadmin_pages:add", args=("content", "articlepage", column_id(town, "news")))
    data = article_form("正文为空的稿件", "action-submit")
    data["title"] = ""  # a required field left empty
    response = clerk.post(url, data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "could not be created" not in html
    assert "页面存在错误，未能创建。" in html
