"""Two editors of one site saving new articles in the same column at the same moment both succeed,
each with its own dated URL. Without a per-column lock the second one was a 500: both requests picked
the same day number for the slug (Wagtail then refused the second as 'slug already in use') or the same
tree path (a unique violation). Real gunicorn on the session's committed test cluster, real threads."""

from __future__ import annotations

import re
import threading

import pytest
import requests
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection
from django.utils.crypto import get_random_string
from django_tenants.utils import schema_context

from identity import services
from identity.models import Account
from tests.cluster import host
from tests.people import PASSWORD, article_form

TITLE = "并发保存测试"
WRITERS = 6


@pytest.fixture(scope="module")
def county_editors(django_db_setup, django_db_blocker):
    """Committed editors of one county (the app server is another process); removed afterwards with
    what they wrote."""
    from tenants.content.models import ArticlePage, ColumnPage
    from tenants.models import Site

    names = [f"cc-editor-{n}" for n in range(WRITERS)]
    with django_db_blocker.unblock():
        connection.set_schema_to_public()
        county = Site.objects.get(slug="t-county-a")
        for name in names:
            account = services.create_account(name, PASSWORD, display_name="并发编辑")
            account.password = PBKDF2PasswordHasher().encode(PASSWORD, get_random_string(16), iterations=1000)
            account.save(update_fields=["password"])
            services.grant_role(account, county, "editor", by="test")
        with schema_context(county.schema_name):
            news = ColumnPage.objects.get(slug="news").pk
        connection.set_schema_to_public()
    yield county, names, news
    with django_db_blocker.unblock():
        for account in Account.objects.filter(username__in=names):
            for role in list(account.roles.select_related("site")):
                services.revoke_role(account, role.site, by="test")
        with schema_context(county.schema_name):
            for article in ArticlePage.objects.filter(title__startswith=TITLE):
                article.delete()
        connection.set_schema_to_public()


def _insecure(session: requests.Session) -> None:
    """Production cookies are Secure; browsers send them to http://*.localhost, requests does not."""
    for cookie in session.cookies:
        cookie.secure = False


def _session(base: str, site_host: str, username: str) -> requests.Session:
    session = requests.Session()
    session.headers["Host"] = site_host  # *.localhost resolves in browsers, not in Python
    form = session.get(base + "/admin/login/", timeout=60)
    _insecure(session)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text).group(1)
    done = session.post(
        base + "/admin/login/",
        data={"csrfmiddlewaretoken": token, "username": username, "password": PASSWORD},
        headers={"Referer": base + "/admin/login/"},
        timeout=60,
    )
    _insecure(session)
    assert done.url.endswith("/admin/"), f"login of {username} failed: {done.status_code} {done.text[-1500:]}"
    return session


def test_editors_saving_new_articles_at_the_same_moment_all_succeed(app_server, county_editors, django_db_blocker):
    from tenants.content.models import ArticlePage

    county, names, news = county_editors
    site_host = host("county_a")
    base = app_server("127.0.0.1")
    add = f"{base}/admin/pages/add/content/articlepage/{news}/"
    sessions = [_session(base, site_host, name) for name in names]
    posts = []
    for session in sessions:
        form = session.get(add, timeout=60)
        _insecure(session)
        posts.append(re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text).group(1))
    barrier = threading.Barrier(WRITERS)
    statuses: list[int | str] = [0] * WRITERS

    def write(index: int) -> None:
        data = {**article_form(f"{TITLE}{index}", "action-publish", slug=""), "csrfmiddlewaretoken": posts[index]}
        barrier.wait(timeout=30)
        try:
            answer = sessions[index].post(add, data=data, headers={"Referer": add}, allow_redirects=False, timeout=120)
            statuses[index] = answer.status_code
        except requests.RequestException as exc:
            statuses[index] = repr(exc)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=180)
    assert statuses == [302] * WRITERS, statuses  # each saved and sent on, none a 500
    with django_db_blocker.unblock(), schema_context(county.schema_name):
        slugs = list(ArticlePage.objects.filter(title__startswith=TITLE).values_list("slug", flat=True))
    connection.set_schema_to_public()
    assert len(slugs) == WRITERS and len(set(slugs)) == WRITERS, slugs
