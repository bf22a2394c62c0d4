"""Small helpers shared by scenario tests."""

from __future__ import annotations

import datetime

from django.contrib.auth.models import Group
from django.test import Client
from django_tenants.utils import schema_context

from tenants.content.models import ArticlePage, ColumnPage


def client_for(site_or_host, **kwargs) -> Client:
    host = site_or_host if isinstance(site_or_host, str) else site_or_host.primary_domain
    return Client(HTTP_HOST=host, **kwargs)


def publish_article(site, column_slug: str, title: str, body: str = "<p>正文</p>", **fields) -> ArticlePage:
    """Publish an article in ``column_slug`` of ``site`` (inside the current test transaction)."""
    with schema_context(site.schema_name):
        column = ColumnPage.objects.get(slug=column_slug)
        article = ArticlePage(
            title=title, body=body, publish_date=fields.pop("publish_date", datetime.date(2026, 11, 1)), **fields
        )
        column.add_child(instance=article)
        article.save_revision().publish()
        return article


def make_site_user(site, username: str, group_name: str | None = None, **fields):
    """A user on one site's schema, optionally in one of its role groups."""
    from siteusers.models import User

    with schema_context(site.schema_name):
        user = User.objects.create_user(username=username, password="correct horse battery", **fields)
        if group_name:
            user.groups.add(Group.objects.get(name=group_name))
        return user
