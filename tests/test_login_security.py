"""The login answers the same from outside whatever the reason for a refusal, until the password is
right; then it says plainly when the person has no role here. Failures are throttled per client
address across the whole cluster, and the address in the audit log cannot be forged."""

from __future__ import annotations

import os
import time

import pytest
from django.core.cache import caches
from django.test import RequestFactory, override_settings
from django.urls import reverse

from audit.checks import check_trusted_proxies
from audit.log import client_ip
from audit.models import AuditEvent
from identity import services
from identity.models import Account
from tests.hashers import CountingHasher
from tests.helpers import client_for
from tests.people import PASSWORD, editor, is_logged_into_admin, logged_in, login, person

PLATFORM = "platform.localhost"
WRONG = "Wrong#Password-2026"


def login_errors(response) -> list[str]:
    """The messages the login page shows above the form (what anyone outside sees)."""
    assert response.status_code == 200, response.status_code
    return [str(error) for error in response.context["form"].non_field_errors()]


def login_from(site_or_host, address: str, username: str, password: str = PASSWORD, **headers):
    client = client_for(site_or_host, REMOTE_ADDR=address, **headers)
    return client, client.post(reverse("wagtailadmin_login"), {"username": username, "password": password})


# --- 4. Unknown user, wrong password, locked, disabled: one answer, one password check -----------


@pytest.mark.parametrize("host_key", ["county_a", "township", None])
def test_an_unknown_login_name_is_refused_like_a_wrong_password_and_audited(cluster, host_key):
    host = cluster[host_key] if host_key else PLATFORM
    editor("known-person", cluster["county_a"])

    _client, unknown = login(host, "no-such-person")
    _client, wrong = login(host, "known-person", WRONG)

    assert login_errors(unknown) == login_errors(wrong)
    assert "登录名或密码不正确" in login_errors(unknown)[0]
    failed = AuditEvent.objects.get(action="login_failed", actor_username="no-such-person")
    assert failed.ip == "127.0.0.1" and failed.details["reason"] == "unknown_account"


@override_settings(PASSWORD_HASHERS=["tests.hashers.CountingHasher"])
def test_every_refusal_before_a_correct_password_looks_the_same_and_costs_one_password_check(cluster):
    a = cluster["county_a"]
    editor("same-wrong", a)
    editor("same-locked", a)
    services.lock(Account.objects.get(username="same-locked"))
    disabled = editor("same-disabled", a)
    disabled.is_active = False
    services.update_account(disabled)
    person("same-norole")  # exists, but no role on this site: a wrong password must not say so

    answers = {}
    for username, password in [
        ("same-unknown", PASSWORD),
        ("same-wrong", WRONG),
        ("same-locked", PASSWORD),  # the right password of a locked account
        ("same-disabled", PASSWORD),
        ("same-norole", WRONG),
    ]:
        before = CountingHasher.verifications
        client, response = login(a, username, password)
        assert CountingHasher.verifications - before == 1, username
        assert not is_logged_into_admin(client)
        answers[username] = login_errors(response)
    assert len({tuple(errors) for errors in answers.values()}) == 1, answers
    reasons = dict(AuditEvent.objects.filter(action="login_failed", site=a).values_list("actor_username", "details"))
    assert {name: details["reason"] for name, details in reasons.items()} == {
        "same-unknown": "unknown_account",
        "same-wrong": "wrong_password",
        "same-locked": "locked",
        "same-disabled": "disabled",
        "same-norole": "wrong_password",
    }


# --- 5. A correct password on a site without a role -------------------------------------------


def test_a_correct_password_without_a_role_here_says_so_and_who_grants_one(cluster):
    editor("norole-here", cluster["county_a"])

    client, response = login(cluster["county_b"], "norole-here")
    assert not is_logged_into_admin(client)
    [message] = login_errors(response)
    assert "没有角色" in message and "站点编辑" in message and "平台运维人员" in message
    assert "密码不正确" not in message
    failed = AuditEvent.objects.get(action="login_failed", actor_username="norole-here", site=cluster["county_b"])
    assert failed.details["reason"] == "no_role"
    assert Account.objects.get(username="norole-here").failed_login_count == 0

    # The same person with a wrong password gets the answer everyone gets.
    _client, wrong = login(cluster["county_b"], "norole-here", WRONG)
    assert "没有角色" not in login_errors(wrong)[0]


def test_a_person_who_is_not_an_operator_is_told_so_on_the_platform(cluster):
    editor("not-an-operator", cluster["county_a"])
    _client, response = login(PLATFORM, "not-an-operator")
    [message] = login_errors(response)
    assert "平台运维人员" in message and "密码不正确" not in message


def test_a_locked_account_never_reveals_its_missing_role(cluster):
    account = person("locked-norole")
    services.lock(account)
    _client, response = login(cluster["county_a"], "locked-norole")
    assert "没有角色" not in login_errors(response)[0]


# --- 7. The client address: forwarded headers only from trusted proxies ------------------------


def _login_ip(username: str) -> str | None:
    return AuditEvent.objects.filter(action="login", actor_username=username).values_list("ip", flat=True).get()


def test_a_forwarded_for_header_from_an_ordinary_client_is_ignored(cluster):
    editor("spoofer", cluster["county_a"])
    client = client_for(cluster["county_a"], HTTP_X_FORWARDED_FOR="203.0.113.66")
    response = client.post(reverse("wagtailadmin_login"), {"username": "spoofer", "password": PASSWORD})
    assert response.status_code == 302
    assert _login_ip("spoofer") == "127.0.0.1"


@pytest.mark.parametrize("trusted", [[], ["127.0.0.1"]])
@pytest.mark.parametrize("garbage", ["not-an-ip", "<script>", "1.2.3.4:80", "999.1.1.1, ", "\x00"])
def test_a_garbage_forwarded_for_header_never_blocks_a_login(cluster, trusted, garbage):
    editor("garbage-xff", cluster["county_a"])
    with override_settings(ZQ_TRUSTED_PROXIES=trusted):
        client = client_for(cluster["county_a"], HTTP_X_FORWARDED_FOR=garbage)
        response = client.post(reverse("wagtailadmin_login"), {"username": "garbage-xff", "password": PASSWORD})
    assert response.status_code == 302
    assert _login_ip("garbage-xff") == "127.0.0.1"


@override_settings(ZQ_TRUSTED_PROXIES=["127.0.0.1", "10.0.0.0/8"])
def test_behind_trusted_proxies_the_rightmost_untrusted_address_is_recorded(cluster):
    editor("behind-proxy", cluster["county_a"])
    # The client forged the first entry; our proxies appended the real address and their own hops.
    client = client_for(cluster["county_a"], HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.9, 10.1.2.3")
    response = client.post(reverse("wagtailadmin_login"), {"username": "behind-proxy", "password": PASSWORD})
    assert response.status_code == 302
    assert _login_ip("behind-proxy") == "203.0.113.9"


@pytest.mark.parametrize(
    "remote, forwarded, trusted, expected",
    [
        ("192.0.2.5", "", [], "192.0.2.5"),
        ("192.0.2.5", "203.0.113.9", [], "192.0.2.5"),  # not a proxy of ours: header ignored
        ("10.0.0.2", "203.0.113.9", ["10.0.0.0/8"], "203.0.113.9"),
        ("10.0.0.2", "203.0.113.9, 10.0.0.7", ["10.0.0.0/8"], "203.0.113.9"),
        ("10.0.0.2", "10.0.0.9, 10.0.0.7", ["10.0.0.0/8"], "10.0.0.9"),  # all ours: the furthest hop
        ("10.0.0.2", "203.0.113.9, garbage", ["10.0.0.0/8"], "10.0.0.2"),  # broken chain: the proxy itself
        ("10.0.0.2", "garbage, 203.0.113.9", ["10.0.0.0/8"], "203.0.113.9"),
        ("10.0.0.2", " 2001:db8::1 ", ["10.0.0.0/8"], "2001:db8::1"),
        ("2001:db8::2", "203.0.113.9", ["2001:db8::/32"], "203.0.113.9"),
        ("not-an-address", "", [], None),
        ("", "203.0.113.9", [], None),
    ],
)
def test_client_ip(remote, forwarded, trusted, expected):
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    with override_settings(ZQ_TRUSTED_PROXIES=trusted):
        assert client_ip(request) == expected


def test_a_mistyped_trusted_proxy_is_reported_at_start_up_and_never_breaks_a_request():
    with override_settings(ZQ_TRUSTED_PROXIES=["10.0.0.0/8", "bogus"]):
        errors = check_trusted_proxies()
        assert [error.id for error in errors] == ["audit.E001"] and "bogus" in errors[0].msg
        request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.9")
        assert client_ip(request) == "203.0.113.9"
    with override_settings(ZQ_TRUSTED_PROXIES=["10.0.0.0/8"]):
        assert check_trusted_proxies() == []


# --- 8. Throttling by client address, across every site ------------------------------------------

REDIS_URL = os.environ.get("ZQ_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture(params=["locmem", "redis"])
def login_cache(request):
    """The throttle on the per-process cache and on Redis (what several app processes share)."""
    from django.conf import settings

    cache_settings = {"default": {**settings.CACHES["default"]}}
    if request.param == "redis":
        import redis

        try:
            redis.Redis.from_url(REDIS_URL).ping()
        except redis.ConnectionError:
            pytest.skip(f"no Redis at {REDIS_URL}")
        cache_settings["default"].update(
            BACKEND="django_redis.cache.RedisCache", LOCATION=REDIS_URL, KEY_PREFIX="zq-test-throttle"
        )
    with override_settings(CACHES=cache_settings, ZQ_LOGIN_THROTTLE_FAILURES=3, ZQ_LOGIN_THROTTLE_SECONDS=600):
        caches["default"].clear()
        yield caches["default"]
        caches["default"].clear()


def test_failures_from_one_address_are_throttled_across_every_site(cluster, login_cache):
    a, b = cluster["county_a"], cluster["county_b"]
    account = editor("throttle-victim", a)
    attacker = "203.0.113.50"

    login_from(a, attacker, "guess-one", WRONG)
    login_from(b, attacker, "throttle-victim", WRONG)  # another site: the same address's budget
    login_from(PLATFORM, attacker, "guess-two", WRONG)

    client, response = login_from(a, attacker, "throttle-victim")  # even the right password
    assert not is_logged_into_admin(client)
    [message] = login_errors(response)
    assert "过于频繁" in message
    assert Account.objects.get(pk=account.pk).failed_login_count == 1  # the throttled try never reached it

    throttled = AuditEvent.objects.filter(action="login_throttled")
    assert throttled.count() == 1 and throttled.get().ip == attacker
    assert AuditEvent.objects.filter(action="login_failed", ip=attacker, details__reason="throttled").count() == 1

    # Someone else, from another address, is not affected.
    assert is_logged_into_admin(logged_in(a, "throttle-victim"))


def test_the_throttle_counts_per_window_and_successes_do_not_reset_it(cluster, login_cache):
    a = cluster["county_a"]
    editor("throttle-owner", a)
    address = "198.51.100.77"
    login_from(a, address, "throttle-owner", WRONG)
    login_from(a, address, "throttle-owner", WRONG)
    client, _response = login_from(a, address, "throttle-owner")  # a success between guesses
    assert is_logged_into_admin(client)
    login_from(a, address, "someone-else", WRONG)  # the third failure in the window
    client, response = login_from(a, address, "throttle-owner")
    assert not is_logged_into_admin(client) and "过于频繁" in login_errors(response)[0]


def test_the_throttle_ends_when_its_window_has_passed(cluster, login_cache):
    a = cluster["county_a"]
    editor("throttle-wait", a)
    address = "198.51.100.78"
    with override_settings(ZQ_LOGIN_THROTTLE_FAILURES=1, ZQ_LOGIN_THROTTLE_SECONDS=2):
        login_from(a, address, "throttle-wait", WRONG)
        client, _response = login_from(a, address, "throttle-wait")
        assert not is_logged_into_admin(client)
        time.sleep(2.2)
        client, _response = login_from(a, address, "throttle-wait")
        assert is_logged_into_admin(client)
