"""The audit log records who did what, where and when; operators read, filter and export it in
the console, which exists only on the platform's own domain and only for operators."""

import csv
import io
import re
from pathlib import Path

from django.core.management import call_command
from django.urls import reverse
from django_tenants.utils import schema_context

from audit.log import record
from audit.models import Action, AuditEvent
from identity.models import SiteRole
from tests.helpers import client_for, publish_article
from tests.people import editor, logged_in, login, person

PLATFORM = "platform.localhost"


def _actions(**filters) -> set[str]:
    return set(AuditEvent.objects.filter(**filters).values_list("action", flat=True))


def test_logins_logouts_and_failures_are_recorded_with_site_and_address(cluster):
    a = cluster["county_a"]
    editor("gaofeng", a)
    login(a, "gaofeng", "Wrong-password-9")
    client = logged_in(a, "gaofeng")
    client.post(reverse("wagtailadmin_logout"))

    assert _actions(actor_username="gaofeng", site=a) >= {"login_failed", "login", "logout"}
    event = AuditEvent.objects.filter(actor_username="gaofeng", action="login").get()
    assert event.ip == "127.0.0.1" and event.at is not None


def test_role_grants_and_revocations_are_recorded_with_who_granted_them(cluster):
    from identity import services

    operator = person("ops-audit", operator=True)
    account = person("hewei")
    services.grant_role(account, cluster["department"], "editor", by=operator)
    services.revoke_role(account, cluster["department"], by=operator)

    events = AuditEvent.objects.filter(site=cluster["department"], actor_username="ops-audit")
    assert set(events.values_list("action", flat=True)) == {"role_grant", "role_revoke"}
    assert events.get(action="role_grant").details == {"role": "editor", "columns": []}


def test_publishing_and_unpublishing_are_recorded_on_the_site(cluster):
    city = cluster["city"]
    page = publish_article(city, "news", "市政府常务会议")
    with schema_context(city.schema_name):
        page.unpublish()
    assert _actions(site=city, object_repr="市政府常务会议") >= {"publish", "unpublish"}


def test_provisioning_and_closure_can_be_recorded_by_the_lifecycle_code(cluster):
    record("provision", actor="ops", site=cluster["township"], method="pool")
    record("closure", actor="ops", site=cluster["township"])
    assert _actions(site=cluster["township"], actor_username="ops") == {"provision", "closure"}


def test_the_console_audit_log_filters_and_exports_csv(cluster):
    person("ops-export", operator=True)
    editor("liqiang", cluster["county_b"])
    login(cluster["county_b"], "liqiang")
    client = logged_in(PLATFORM, "ops-export")

    listing = client.get(reverse("console_audit:index"), {"action": "login", "actor_username": "liqiang"})
    assert listing.status_code == 200
    assert "liqiang" in listing.content.decode()

    export = client.get(reverse("console_audit:index"), {"actor_username": "liqiang", "export": "csv"})
    assert export.status_code == 200
    assert export["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode("utf-8-sig"))))
    assert rows[0][:5] == ["时间", "操作人", "站点", "操作", "操作代码"]
    body = rows[1:]
    assert body and all(row[1] == "liqiang" for row in body)
    assert {row[2] for row in body} == {"白水县人民政府"}
    assert ["登录", "login"] in [row[3:5] for row in body]
    assert "登录" in listing.content.decode()

    future = client.get(
        reverse("console_audit:index"), {"actor_username": "liqiang", "at_from": "2099-01-01", "export": "csv"}
    )
    assert len(list(csv.reader(io.StringIO(b"".join(future.streaming_content).decode("utf-8-sig"))))) == 1


def test_an_operator_grants_and_revokes_a_role_in_one_step_in_the_console(cluster):
    from siteusers.models import User

    person("ops-roles", operator=True)
    account = person("tianye")
    client = logged_in(PLATFORM, "ops-roles")

    response = client.post(
        reverse("console_roles:add"),
        {"account": account.pk, "site": cluster["township"].pk, "role": "submitter", "columns_text": "news, notices"},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    site_role = SiteRole.objects.get(account=account, site=cluster["township"])
    assert site_role.columns == ["news", "notices"]
    with schema_context(cluster["township"].schema_name):
        groups = set(User.objects.get(username="tianye").groups.values_list("name", flat=True))
    assert groups == {"信息报送员：工作动态", "信息报送员：通知公告"}
    assert AuditEvent.objects.filter(action="role_grant", actor_username="ops-roles").exists()

    client.post(reverse("console_roles:delete", args=(site_role.pk,)))
    assert not SiteRole.objects.filter(pk=site_role.pk).exists()
    with schema_context(cluster["township"].schema_name):
        assert not User.objects.get(username="tianye").is_active


def test_an_operator_creates_an_account_and_weak_passwords_are_refused(cluster):
    person("ops-accounts", operator=True)
    client = logged_in(PLATFORM, "ops-accounts")
    data = {"username": "newbie", "display_name": "新人", "email": "", "new_password1": "abc", "new_password2": "abc"}
    weak = client.post(reverse("console_accounts:add"), data)
    assert weak.status_code == 200 and "密码太短" in weak.content.decode()

    data.update(new_password1="Xinren#Strong2026", new_password2="Xinren#Strong2026")
    assert client.post(reverse("console_accounts:add"), data).status_code == 302
    call_command("grant_role", "newbie", cluster["county_a"].slug, "editor")
    assert logged_in(cluster["county_a"], "newbie", "Xinren#Strong2026")


def test_a_site_editor_cannot_open_the_console(cluster):
    a = cluster["county_a"]
    editor("bianji-console", a)
    client = logged_in(a, "bianji-console")
    for name in ("console_audit:index", "console_roles:index", "console_accounts:index", "console_roles:add"):
        assert client.get(reverse(name)).status_code == 404
    home = client.get("/admin/").content.decode()
    assert reverse("console_audit:index") not in home

    # On the platform host they have no user at all, so they cannot even log in.
    platform_client, response = login(PLATFORM, "bianji-console")
    assert response.status_code == 200
    assert platform_client.get(reverse("console_audit:index")).status_code == 302


def test_a_console_user_who_is_not_an_operator_is_refused(cluster):
    from siteusers.models import User

    with schema_context("public"):
        staff = User.objects.create_user("platform-clerk", is_staff=True)
        from django.contrib.auth.models import Permission

        staff.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client = client_for(PLATFORM)
    client.force_login(staff)
    response = client.get(reverse("console_audit:index"))
    # Wagtail answers a PermissionDenied inside its admin with a redirect to the dashboard.
    assert response.status_code == 403 or (response.status_code == 302 and response["Location"] == "/admin/")
    assert client.get(reverse("console_audit:index"), {"export": "csv"}).status_code in (302, 403)


def test_the_console_menu_shows_on_the_platform_for_operators_only(cluster):
    from django.test import RequestFactory
    from wagtail.admin.menu import admin_menu

    from siteusers.models import User

    def menu_urls(site_schema: str, host: str, username: str) -> set[str]:
        with schema_context(site_schema):
            request = RequestFactory().get("/admin/", HTTP_HOST=host)
            request.user = User.objects.get(username=username)
            return {item.url for item in admin_menu.menu_items_for_request(request)}  # runs construct_main_menu

    person("ops-menu", operator=True)
    editor("bianji-menu", cluster["county_a"])
    a = cluster["county_a"]
    assert reverse("console_audit:index") in menu_urls("public", PLATFORM, "ops-menu")
    assert not any(
        url.startswith("/admin/console/") for url in menu_urls(a.schema_name, a.primary_domain, "bianji-menu")
    )


def test_the_console_screens_open_for_an_operator_and_a_role_can_be_changed(cluster):
    from identity import services

    person("ops-screens", operator=True)
    account = person("wuhua")
    site_role = services.grant_role(account, cluster["township"], "submitter", columns=["news"])
    client = logged_in(PLATFORM, "ops-screens")
    for url in (
        reverse("console_accounts:index"),
        reverse("console_accounts:add"),
        reverse("console_accounts:edit", args=(account.pk,)),
        reverse("console_roles:index"),
        reverse("console_roles:add"),
        reverse("console_roles:edit", args=(site_role.pk,)),
        reverse("console_audit:index"),
    ):
        assert client.get(url).status_code == 200, url

    response = client.post(reverse("console_roles:edit", args=(site_role.pk,)), {"role": "editor", "columns_text": ""})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert SiteRole.objects.get(pk=site_role.pk).role == "editor"

    bad = client.post(
        reverse("console_roles:edit", args=(site_role.pk,)), {"role": "submitter", "columns_text": "nope"}
    )
    assert bad.status_code == 200 and "本站没有这些栏目" in bad.content.decode()

    locked = client.post(
        reverse("console_accounts:edit", args=(account.pk,)),
        {"display_name": "吴华", "email": "", "is_active": "on", "lock": "on"},
    )
    assert locked.status_code == 302
    account.refresh_from_db()
    assert account.is_locked and account.display_name == "吴华"

    call_command("grant_role", "wuhua", cluster["township"].slug, "--revoke")
    assert not SiteRole.objects.filter(pk=site_role.pk).exists()


def test_every_action_the_code_records_has_a_chinese_name():
    """The audit log shows an action by its name (审计日志); an action recorded under a key that
    ``audit.models.Action`` does not know shows as a raw key like ``inspection.requested``."""
    root = Path(__file__).resolve().parent.parent
    recorded = set()
    for folder in ("platform", "tenants", "shared_library"):
        for path in (root / folder).rglob("*.py"):
            recorded |= set(re.findall(r"""\brecord\(\s*["']([a-z_.]+)["']""", path.read_text(encoding="utf-8")))
    assert recorded, "found the record(...) calls"
    assert sorted(recorded - set(Action.values)) == []
