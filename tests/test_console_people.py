"""People across the cluster from the console: find a person by name or by a site they work on,
see every role, grant and revoke in one step, reset a password (changed at next login), disable."""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse

from audit.models import AuditEvent
from identity import services
from identity.models import Account, SiteRole
from tests.console_helpers import operator_client
from tests.people import NEW_PASSWORD, editor, is_logged_into_admin, logged_in, login, person


def person_url(account: Account) -> str:
    return reverse("console_accounts:person", args=[account.pk])


def test_an_operator_finds_a_person_by_name_or_by_site_and_sees_every_role(cluster):
    account = editor("liuhua", cluster["county_a"])
    services.grant_role(account, cluster["township"], "submitter", columns=["news"], by="test")
    person("zhangsan")
    client = operator_client()

    by_site = client.get(reverse("console_accounts:index"), {"q": "城关镇"}).content.decode()
    assert "liuhua" in by_site and "zhangsan" not in by_site
    listing = client.get(reverse("console_accounts:index"), {"q": "liuhua"})
    assert person_url(account) in listing.content.decode()  # the name opens the person's page

    page = client.get(person_url(account)).content.decode()
    assert "青山县人民政府" in page and "青山县城关镇人民政府" in page
    assert "站点编辑" in page and "信息报送员" in page


def test_grant_and_revoke_a_role_in_one_step_from_the_persons_page(cluster):
    account = person("wanggang")
    client = operator_client()
    url = person_url(account)

    refused = client.post(url, {"op": "grant", "account": account.pk, "site": cluster["township"].pk,
                                "role": "submitter", "columns_text": "no-such-column"})  # fmt: skip
    assert refused.status_code == 200 and "本站没有这些栏目" in refused.content.decode()
    assert not SiteRole.objects.filter(account=account).exists()

    client.post(url, {"op": "grant", "account": account.pk, "site": cluster["county_b"].pk, "role": "editor"})
    role = SiteRole.objects.get(account=account)
    assert role.site == cluster["county_b"] and role.granted_by == "ops-console"
    assert is_logged_into_admin(logged_in(cluster["county_b"], "wanggang"))

    client.post(url, {"op": "revoke", "role": role.pk})
    assert not SiteRole.objects.filter(account=account).exists()
    assert set(AuditEvent.objects.filter(obj_filter(account)).values_list("action", flat=True)) >= {
        "role_grant", "role_revoke"}  # fmt: skip


def obj_filter(account: Account) -> Q:
    return Q(object_type="identity.account", object_id=str(account.pk))


def test_a_reset_password_must_be_changed_at_the_next_login_in_any_admin(cluster):
    account = editor("zhaomin", cluster["county_a"])
    site_client = logged_in(cluster["county_a"], "zhaomin")
    client = operator_client()

    response = client.post(person_url(account), {"op": "reset"})
    temporary = response.context["temporary_password"]
    assert temporary in response.content.decode() and "只显示这一次" in response.content.decode()
    assert response["Cache-Control"].startswith("max-age=0") or "no-cache" in response["Cache-Control"]
    account.refresh_from_db()
    assert account.must_change_password

    # A reset ends the person's open sessions (the old password may be known to someone else).
    ended = site_client.get(reverse("wagtailadmin_explore_root"))
    assert ended.status_code == 302 and ended["Location"].startswith(reverse("wagtailadmin_login"))
    _client, old = login(cluster["county_a"], "zhaomin")
    assert old.status_code == 200  # the old password no longer works

    fresh = logged_in(cluster["county_a"], "zhaomin", temporary)
    home = fresh.get("/admin/")
    assert home.status_code == 302 and home["Location"] == reverse("identity_password_change")
    assert fresh.get(reverse("identity_password_change")).status_code == 200
    fresh.post(reverse("identity_password_change"),
               {"old_password": temporary, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})  # fmt: skip
    account.refresh_from_db()
    assert not account.must_change_password
    assert fresh.get("/admin/").status_code == 200
    event = AuditEvent.objects.get(action="account_update", details__password_reset=True)
    assert event.actor_username == "ops-console" and event.object_id == str(account.pk)


def test_disabling_an_account_ends_its_sessions_everywhere_and_an_operator_cannot_disable_themself(cluster):
    account = editor("sunqiang", cluster["county_a"])
    site_client = logged_in(cluster["county_a"], "sunqiang")
    client = operator_client()

    client.post(person_url(account), {"op": "disable"})
    account.refresh_from_db()
    assert not account.is_active
    assert not is_logged_into_admin(site_client)
    assert AuditEvent.objects.filter(action="account_update", details__is_active=False).exists()

    me = Account.objects.get(username="ops-console")
    response = client.post(person_url(me), {"op": "disable"}, follow=True)
    assert "不能停用自己的账号" in response.content.decode()
    me.refresh_from_db()
    assert me.is_active

    client.post(person_url(account), {"op": "enable"})
    account.refresh_from_db()
    assert account.is_active
    assert is_logged_into_admin(logged_in(cluster["county_a"], "sunqiang"))


def test_a_password_typed_in_the_account_form_is_also_a_reset_the_person_must_replace(cluster):
    account = editor("qianli", cluster["county_a"])
    client = operator_client()
    url = reverse("console_accounts:edit", args=[account.pk])
    data = {"display_name": "钱丽", "email": "", "is_active": "on", "new_password": "Temp#Pass2026x"}
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    account.refresh_from_db()
    assert account.must_change_password and account.display_name == "钱丽"
    home = logged_in(cluster["county_a"], "qianli", "Temp#Pass2026x").get("/admin/")
    assert home.status_code == 302 and home["Location"] == reverse("identity_password_change")
