"""Verification over real HTTP: the production app server (gunicorn) answers X's old URLs on every
domain, and the crawl follows absolute Locations to other hosts (a file on the S3 server)."""

from __future__ import annotations

import http.client

import pytest
from django.db import connection

from tenants.closure.fetchers import HttpFetcher
from tenants.closure.models import Closure, ClosureStatus, UrlKind, VerifyState
from tenants.closure.verify import verify
from tenants.models import Site
from tenants.provisioning import SiteSpec, provision_site
from tests.closure_ops import close_by_hand, remove_sites, township

EMBLEM = b"\x89PNG\r\n\x1a\n" + b"town emblem " * 50


@pytest.fixture
def committed(django_db_setup, django_db_blocker):
    made: list[Site] = []
    with django_db_blocker.unblock():
        connection.set_schema_to_public()
        try:
            yield made
        finally:
            remove_sites(*reversed(made))


def raw_get(base: str, host: str, path: str) -> tuple[int, str]:
    port = int(base.rsplit(":", 1)[1])
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", path, headers={"Host": host})
        response = conn.getresponse()
        response.read()
        return response.status, response.getheader("Location", "")
    finally:
        conn.close()


def test_the_real_server_redirects_every_old_url_and_verification_over_http_completes(
    committed, app_server, s3_server, settings, tmp_path
):
    settings.MEDIA_ROOT = str(tmp_path)
    s3 = s3_server.client()
    s3.put_object(Bucket=s3_server.bucket, Key="ops-http/emblem.png", Body=EMBLEM)
    emblem_url = s3.generate_presigned_url(
        "get_object", Params={"Bucket": s3_server.bucket, "Key": "ops-http/emblem.png"}, ExpiresIn=3600
    )
    county = provision_site(
        SiteSpec(name="测试县人民政府", slug="http-county", kind="county", parent_slug="t-city")
    ).site
    committed.append(county)
    town = township("http-town", county)
    committed.append(town)
    closed = close_by_hand(town, county, file_url=emblem_url, file_size=len(EMBLEM))
    # The app server keeps its media in its own folder: the document check is the in-process tests' job.
    closed.closure.urls.filter(kind=UrlKind.DOCUMENT).delete()
    base = app_server("127.0.0.1")

    status, location = raw_get(
        base, "http-town-alias.localhost", "/news/%E5%AE%89%E5%85%A8%E7%94%9F%E4%BA%A7%E4%BC%9A%E8%AE%AE/"
    )
    assert (
        status == 301
        and location
        == "http://http-county.localhost/%E5%9F%8E%E5%85%B3%E9%95%87/news/%E5%AE%89%E5%85%A8%E7%94%9F%E4%BA%A7%E4%BC%9A%E8%AE%AE/"
    )
    assert raw_get(base, "http-town.localhost", "/service/")[0] == 410

    nobody = verify(closed.closure, by="operator", fetch=HttpFetcher("http://127.0.0.1:9"))  # nothing listens
    assert nobody["failed"] == nobody["total"] and "实际为 0" in nobody["failures"][0]["detail"]
    assert Closure.objects.get(pk=closed.closure.pk).status == ClosureStatus.REDIRECTING

    report = verify(closed.closure, by="operator", fetch=HttpFetcher(base), workers=3)
    assert report["fetcher"] == "HttpFetcher" and report["workers"] == 3
    assert report["failed"] == 0 and report["passed"] == report["total"] == closed.closure.urls.count(), report
    assert closed.closure.urls.get(kind=UrlKind.IMAGE).verify_state == VerifyState.PASSED  # followed to S3
    assert Closure.objects.get(pk=closed.closure.pk).status == ClosureStatus.COMPLETED
