"""People for identity/role/audit scenarios: accounts, roles, logins and article form posts.

Plain helpers (not fixtures) so any test file can use them without touching conftest.
"""

from __future__ import annotations

import datetime

from django.db import connection
from django.test import Client
from django.urls import reverse
from django_tenants.utils import schema_context
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from identity import services
from identity.models import Account
from tests.helpers import client_for

PASSWORD = "Qingshan#River2026"
NEW_PASSWORD = "Baishui@Lake2027x"


def person(username: str, *, operator: bool = False, **fields) -> Account:
    connection.set_schema_to_public()
    return services.create_account(username, PASSWORD, is_operator=operator, **fields)


def editor(username: str, site) -> Account:
    account = person(username)
    services.grant_role(account, site, "editor", by="test")
    return account


def submitter(username: str, site, columns: list[str]) -> Account:
    account = person(username)
    services.grant_role(account, site, "submitter", columns=columns, by="test")
    return account


def login(site_or_host, username: str, password: str = PASSWORD) -> tuple[Client, object]:
    """Log in through Wagtail's admin login form; returns the client and the login response."""
    client = client_for(site_or_host)
    response = client.post(reverse("wagtailadmin_login"), {"username": username, "password": password})
    return client, response


def logged_in(site_or_host, username: str, password: str = PASSWORD) -> Client:
    client, response = login(site_or_host, username, password)
    assert response.status_code == 302, f"login of {username} failed"
    return client


def is_logged_into_admin(client: Client) -> bool:
    return client.get("/admin/").status_code == 200


def column_id(site, slug: str) -> int:
    from tenants.content.models import ColumnPage

    with schema_context(site.schema_name):
        return ColumnPage.objects.get(slug=slug).pk


def article_page(site, page_id: int):
    from tenants.content.models import ArticlePage

    with schema_context(site.schema_name):
        return ArticlePage.objects.filter(pk=page_id).first()


def article_by_title(site, title: str):
    from tenants.content.models import ArticlePage

    with schema_context(site.schema_name):
        return ArticlePage.objects.filter(title=title).first()


def article_form(title: str, action: str | None = None, **fields) -> dict:
    """POST data for Wagtail's ArticlePage create/edit view. ``action`` is e.g. "action-publish"."""
    data = nested_form_data(
        {
            "title": title,
            "slug": fields.pop("slug", f"a-{abs(hash(title)) % 10**8}"),
            "publish_date": datetime.date(2026, 11, 20).isoformat(),
            "source": "",
            "summary": "",
            "body": rich_text(fields.pop("body", "<p>正文</p>")),
            "comments": inline_formset([]),
            **fields,
        }
    )
    if action:
        data[action] = "1"
    return data


def add_article(client: Client, site, column_slug: str, title: str, action: str | None = None):
    url = reverse("wagtailadmin_pages:add", args=("content", "articlepage", column_id(site, column_slug)))
    return client.post(url, article_form(title, action))
