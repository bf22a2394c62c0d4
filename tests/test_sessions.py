"""A session lasts only as long as the password and the role it was opened with: a password change
ends every other session on every site (the one that changed it stays), and a revoked role's
session stays dead even after the role is granted again. Each ended session is audited when it
comes back."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.models import AuditEvent
from identity import services
from identity.models import Account
from tests.helpers import client_for
from tests.people import NEW_PASSWORD, PASSWORD, editor, is_logged_into_admin, logged_in, person

PLATFORM = "platform.localhost"


def test_a_password_change_ends_every_other_session_but_the_one_that_changed_it(cluster):
    a, town = cluster["county_a"], cluster["township"]
    account = editor("session-owner", a)
    services.grant_role(account, town, "submitter", columns=["news"])
    changer = logged_in(a, "session-owner")
    other_on_a = logged_in(a, "session-owner")
    other_on_town = logged_in(town, "session-owner")

    response = changer.post(
        reverse("identity_password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302

    assert is_logged_into_admin(changer)
    assert not is_logged_into_admin(other_on_a)
    assert not is_logged_into_admin(other_on_town)
    ended = AuditEvent.objects.filter(action="session_revoked", actor_username="session-owner")
    assert set(ended.values_list("site", flat=True)) == {a.pk, town.pk}
    assert all(event.ip == "127.0.0.1" and event.details["reason"] == "credentials_changed" for event in ended)

    assert is_logged_into_admin(logged_in(town, "session-owner", NEW_PASSWORD))


def test_an_operator_resetting_a_password_ends_that_persons_sessions(cluster):
    person("ops-reset", operator=True)
    account = editor("reset-target", cluster["county_b"])
    target = logged_in(cluster["county_b"], "reset-target")
    operator = logged_in(PLATFORM, "ops-reset")

    response = operator.post(
        reverse("console_accounts:edit", args=(account.pk,)),
        {"display_name": "", "email": "", "is_active": "on", "new_password": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert not is_logged_into_admin(target)
    assert is_logged_into_admin(operator)


def test_an_operator_resetting_their_own_password_in_the_console_stays_logged_in(cluster):
    account = person("ops-self", operator=True)
    first = logged_in(PLATFORM, "ops-self")
    second = logged_in(PLATFORM, "ops-self")
    response = first.post(
        reverse("console_accounts:edit", args=(account.pk,)),
        {"display_name": "", "email": "", "is_active": "on", "is_operator": "on", "new_password": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert is_logged_into_admin(first)
    assert not is_logged_into_admin(second)


def test_a_revoked_role_stays_dead_after_it_is_granted_again(cluster):
    town = cluster["township"]
    account = editor("regranted", town)
    old_session = logged_in(town, "regranted")

    services.revoke_role(account, town, by="test")
    services.grant_role(account, town, "editor", by="test")  # before the old session comes back

    assert not is_logged_into_admin(old_session)
    event = AuditEvent.objects.get(action="session_revoked", actor_username="regranted", site=town)
    assert event.details["reason"] == "credentials_changed"
    assert is_logged_into_admin(logged_in(town, "regranted"))  # a fresh login works


def test_a_revoked_role_ends_the_session_at_once_and_it_is_audited_once(cluster):
    town = cluster["township"]
    account = editor("revoked-now", town)
    session = logged_in(town, "revoked-now")
    services.revoke_role(account, town, by="test")

    assert not is_logged_into_admin(session)
    assert not is_logged_into_admin(session)
    event = AuditEvent.objects.get(action="session_revoked", actor_username="revoked-now")
    assert event.details["reason"] == "role_revoked"


def test_a_changed_role_keeps_the_session(cluster):
    town = cluster["township"]
    account = editor("role-changed", town)
    session = logged_in(town, "role-changed")
    services.grant_role(account, town, "submitter", columns=["news"], by="test")
    assert is_logged_into_admin(session)


def test_a_disabled_then_enabled_account_does_not_revive_old_sessions(cluster):
    account = editor("re-enabled", cluster["county_a"])
    services.grant_role(account, cluster["township"], "editor")
    old_a = logged_in(cluster["county_a"], "re-enabled")
    old_town = logged_in(cluster["township"], "re-enabled")

    account.is_active = False
    services.update_account(account)
    account.is_active = True
    services.update_account(account)

    assert not is_logged_into_admin(old_a)
    assert not is_logged_into_admin(old_town)
    assert is_logged_into_admin(logged_in(cluster["county_a"], "re-enabled"))


def test_an_operators_console_session_stays_dead_after_operator_rights_come_back(cluster):
    account = person("ops-again", operator=True)
    old_session = logged_in(PLATFORM, "ops-again")

    account.is_operator = False
    services.update_account(account)
    account.is_operator = True
    services.update_account(account)

    assert not is_logged_into_admin(old_session)
    assert is_logged_into_admin(logged_in(PLATFORM, "ops-again"))
    assert Account.objects.get(pk=account.pk).is_operator


def test_anonymous_public_pages_are_not_made_to_vary_on_cookies(cluster):
    """Watching for ended sessions must not touch the session of a visitor who has none."""
    response = client_for(cluster["county_a"]).get("/")
    assert response.status_code == 200
    assert "Cookie" not in response.get("Vary", "")


def test_a_logged_in_admin_request_reads_the_account_once(cluster):
    """The login backend, the session hash and the forced-password check all need the account: one
    read per request serves them (they ran three identical lookups on every admin request)."""
    editor("one-read", cluster["county_a"])
    client = logged_in(cluster["county_a"], "one-read")
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("wagtailadmin_home")).status_code == 200
    account_reads = [q["sql"] for q in queries.captured_queries if 'FROM "identity_account"' in q["sql"]]
    assert len(account_reads) == 1, account_reads
