"""Every answer carries the security headers, the routing layer's own answers included; public pages
get a strict Content-Security-Policy, the admin the laxer one Wagtail needs."""

from __future__ import annotations

import pytest
from django.test import override_settings

from tests.helpers import client_for

SECURITY_HEADERS = ("X-Content-Type-Options", "Referrer-Policy", "X-Frame-Options", "Content-Security-Policy")


def directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    parsed = {}
    for part in policy.split(";"):
        name, *values = part.split()
        parsed[name] = values
    return parsed


def assert_security_headers(response) -> None:
    missing = [name for name in SECURITY_HEADERS if not response.has_header(name)]
    assert not missing, f"{response.status_code} answer lacks {missing}"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] in ("DENY", "SAMEORIGIN")


def assert_strict_policy(response) -> None:
    policy = directives(response)
    for directive in ("script-src", "style-src"):
        assert "'unsafe-inline'" not in policy.get(directive, policy["default-src"]), policy
        assert "'unsafe-eval'" not in policy.get(directive, policy["default-src"]), policy
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'self'"]
    assert policy["base-uri"] == ["'self'"]


def test_a_public_page_has_a_strict_content_security_policy(cluster):
    response = client_for(cluster["county_a"]).get("/")
    assert response.status_code == 200
    assert_security_headers(response)
    assert_strict_policy(response)


def test_an_unknown_host_answer_carries_every_security_header(cluster):
    response = client_for("nobody-here.localhost").get("/")
    assert response.status_code == 404
    assert_security_headers(response)
    assert_strict_policy(response)
    # its inline style is allowed by a nonce, not by 'unsafe-inline'
    nonce = response.content.decode().split('<style nonce="', 1)[1].split('"', 1)[0]
    assert f"'nonce-{nonce}'" in directives(response)["style-src"]


def test_a_closed_site_answer_carries_every_security_header(cluster):
    township = cluster["township"]
    township.status = "closed"
    township.save()
    response = client_for(township).get("/")
    assert response.status_code == 410
    assert_security_headers(response)
    assert_strict_policy(response)


def test_a_bad_request_answer_carries_every_security_header(cluster):
    fields = {f"f{i}": "x" for i in range(1200)}  # over DATA_UPLOAD_MAX_NUMBER_FIELDS
    response = client_for(cluster["county_a"]).post("/admin/login/", fields)
    assert response.status_code == 400
    assert_security_headers(response)


def test_a_malformed_host_with_https_redirects_on_gets_a_plain_answer_with_the_headers(cluster):
    with override_settings(SECURE_SSL_REDIRECT=True):
        response = client_for("bad_host.localhost").get("/")
    assert response.status_code in (400, 404)
    assert_security_headers(response)


def test_the_admin_gets_its_own_policy_that_still_forbids_framing_and_plugins(cluster):
    response = client_for(cluster["county_a"]).get("/admin/login/")
    assert response.status_code == 200
    assert_security_headers(response)
    policy = directives(response)
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'self'"]
    assert "'unsafe-eval'" not in policy["script-src"]


def test_media_from_s3_is_allowed_by_the_public_policy():
    from zhanqun.lib.csp import public_directives

    directives_ = public_directives(media_origins=["http://127.0.0.1:9000"])
    assert "http://127.0.0.1:9000" in directives_["img-src"]
    assert "http://127.0.0.1:9000" not in directives_["script-src"]


@pytest.mark.parametrize("host_key", ["county_a", "unknown"])
def test_the_production_server_sends_the_security_headers_on_every_answer(app_server, host_key):
    from tests.cluster import host
    from tests.test_public_site_browser import fetch

    hostname = host(host_key) if host_key != "unknown" else "nobody.localhost"
    status, headers, _body = fetch(app_server(hostname) + "/")
    assert status == (200 if host_key != "unknown" else 404)
    for name in SECURITY_HEADERS:
        assert name in headers, (status, name)
    assert headers["X-Content-Type-Options"] == "nosniff"
