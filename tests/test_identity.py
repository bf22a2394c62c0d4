"""One identity across the cluster: one password, a login only where the person has a role,
lockout after repeated failures, strong passwords, and the password belongs to the account."""

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from audit.models import AuditEvent
from identity import services
from identity.models import Account
from tests.helpers import client_for
from tests.people import NEW_PASSWORD, PASSWORD, editor, is_logged_into_admin, logged_in, login, person


def test_one_password_logs_in_on_every_site_where_the_person_has_a_role(cluster):
    account = editor("wangfang", cluster["county_a"])
    services.grant_role(account, cluster["township"], "submitter", columns=["news"])

    assert is_logged_into_admin(logged_in(cluster["county_a"], "wangfang"))
    assert is_logged_into_admin(logged_in(cluster["township"], "WangFang"))  # login name is case-insensitive


def test_login_is_refused_on_a_site_where_the_person_has_no_role(cluster):
    editor("lijun", cluster["county_a"])

    client, response = login(cluster["county_b"], "lijun")
    assert response.status_code == 200  # the login form again, with an error
    assert not is_logged_into_admin(client)
    assert AuditEvent.objects.filter(action="login_failed", actor_username="lijun", site=cluster["county_b"]).exists()


def test_a_login_cookie_from_site_a_is_not_a_login_on_site_b(cluster):
    account = editor("zhaolei", cluster["county_a"])
    services.grant_role(account, cluster["county_b"], "editor")
    client_a = logged_in(cluster["county_a"], "zhaolei")

    client_b = client_for(cluster["county_b"])
    client_b.cookies[settings.SESSION_COOKIE_NAME] = client_a.cookies[settings.SESSION_COOKIE_NAME].value
    response = client_b.get("/admin/")
    assert response.status_code == 302 and reverse("wagtailadmin_login") in response["Location"]


def test_five_wrong_passwords_lock_the_account_even_against_the_right_one(cluster):
    editor("sunli", cluster["county_a"])
    for _attempt in range(5):
        _client, response = login(cluster["county_a"], "sunli", "wrong-Password-1")
        assert response.status_code == 200

    account = Account.objects.get(username="sunli")
    assert account.is_locked
    client, _response = login(cluster["county_a"], "sunli", PASSWORD)
    assert not is_logged_into_admin(client)
    assert AuditEvent.objects.filter(action="lockout", actor_username="sunli").count() == 1
    assert AuditEvent.objects.filter(action="login_failed", actor_username="sunli").count() == 6

    services.unlock(account)
    assert is_logged_into_admin(logged_in(cluster["county_a"], "sunli"))


def test_failures_below_the_limit_do_not_lock_and_a_success_resets_the_count(cluster):
    editor("zhoumin", cluster["county_a"])
    for _attempt in range(4):
        login(cluster["county_a"], "zhoumin", "wrong-Password-1")
    assert is_logged_into_admin(logged_in(cluster["county_a"], "zhoumin"))
    assert Account.objects.get(username="zhoumin").failed_login_count == 0


@pytest.mark.parametrize(
    "weak, message",
    [
        ("Ab1!xyz", "密码太短，至少需要 10 个字符"),
        ("1234567890123", "密码只包含数字"),
        ("alllowercaseletters", "至少包含大写字母、小写字母、数字、特殊字符中的 3 类"),
        ("password123", "这个密码太常见了"),
    ],
)
def test_weak_passwords_are_rejected_with_a_clear_message(cluster, weak, message):
    with translation.override("zh-hans"), pytest.raises(ValidationError) as error:
        services.create_account("weakling", weak)
    assert any(message in text for text in error.value.messages), error.value.messages
    assert not Account.objects.filter(username="weakling").exists()


def test_changing_the_password_on_one_site_changes_it_for_every_site(cluster):
    account = editor("chenjing", cluster["county_a"])
    services.grant_role(account, cluster["township"], "submitter", columns=["news"])
    client = logged_in(cluster["county_a"], "chenjing")
    url = reverse("identity_password_change")

    weak = client.post(url, {"old_password": PASSWORD, "new_password1": "short", "new_password2": "short"})
    assert weak.status_code == 200 and "密码太短" in weak.content.decode()

    done = client.post(url, {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302
    _client, old = login(cluster["township"], "chenjing", PASSWORD)
    assert old.status_code == 200
    assert is_logged_into_admin(logged_in(cluster["township"], "chenjing", NEW_PASSWORD))
    assert AuditEvent.objects.filter(action="password_change", actor_username="chenjing").exists()


def test_wagtails_own_password_screens_are_off_because_the_password_is_the_accounts(cluster):
    assert settings.WAGTAIL_PASSWORD_MANAGEMENT_ENABLED is False
    assert settings.WAGTAIL_PASSWORD_RESET_ENABLED is False
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    assert settings.SESSION_COOKIE_AGE <= 8 * 3600


def test_a_disabled_account_is_logged_out_everywhere_on_its_next_request(cluster):
    account = editor("liuyang", cluster["county_a"])
    client = logged_in(cluster["county_a"], "liuyang")
    account.is_active = False
    services.update_account(account)
    assert not is_logged_into_admin(client)


def test_an_operator_logs_into_the_console_but_not_into_a_site_without_a_role(cluster):
    person("admin-ops", operator=True)
    assert is_logged_into_admin(logged_in("platform.localhost", "admin-ops"))
    client, _response = login(cluster["county_a"], "admin-ops")
    assert not is_logged_into_admin(client)
