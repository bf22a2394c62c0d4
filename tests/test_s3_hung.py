"""S3 hung (issue #20): the endpoint accepts connections and never answers — what an overloaded or
half-dead S3 looks like, and worse than one that refuses (test_s3_outage.py), since nothing fails
until a timeout does. Pages still render without waiting (file URLs are signed locally, no call to
S3); an upload answers 503 with the Chinese message within the client's timeout budget
(``AWS_S3_CLIENT_CONFIG``: connect/read timeouts × attempts), and no row points at a missing file."""

from __future__ import annotations

import socket
import threading
import time

import pytest
from botocore.config import Config as BotoConfig
from django.db import connection
from django.test import override_settings
from django_tenants.utils import schema_context
from wagtail.documents.models import Document

from shared_library import services
from shared_library.models import Attachment
from tests import samples
from tests.files import s3_settings, site_admin
from tests.helpers import client_for

UNAVAILABLE = "文件存储暂时无法访问"
XHR = {"HTTP_X_REQUESTED_WITH": "XMLHttpRequest"}
READ_TIMEOUT, ATTEMPTS = 1, 2
# Each attempt waits READ_TIMEOUT for an answer; the standard retry mode sleeps < 1 s between the two.
# (botocore's own default would be 60 s a read): + 5 s for the request itself on a loaded machine.
BUDGET_SECONDS = ATTEMPTS * READ_TIMEOUT + 1 + 5


@pytest.fixture
def hung_endpoint():
    """A TCP server on loopback that accepts every connection and never sends a byte."""
    server = socket.create_server(("127.0.0.1", 0))
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(server.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.getsockname()[1]}", held
    stop.set()
    thread.join()
    for conn in held:
        conn.close()
    server.close()


def _hung(server, endpoint: str) -> dict:
    client_config = BotoConfig(  # as settings.base builds it from S3_CONNECT_TIMEOUT/S3_READ_TIMEOUT/S3_MAX_ATTEMPTS
        s3={"addressing_style": "path"},
        signature_version="s3v4",
        connect_timeout=1,
        read_timeout=READ_TIMEOUT,
        retries={"max_attempts": ATTEMPTS, "mode": "standard"},
    )
    return {**s3_settings(server), "AWS_S3_ENDPOINT_URL": endpoint, "AWS_S3_CLIENT_CONFIG": client_config}


def pdf(name: str):
    return samples.upload(name, samples.PDF)


def timed(call):
    started = time.monotonic()
    result = call()
    return result, time.monotonic() - started


def test_while_s3_hangs_pages_render_and_uploads_fail_clearly_within_the_timeout_budget(
    cluster, s3_server, hung_endpoint
):
    endpoint, held = hung_endpoint
    site = cluster["county_a"]
    admin = site_admin(site)
    visitor = client_for(site)
    with override_settings(**s3_settings(s3_server)):
        response = admin.post("/admin/documents/add/", {"title": "挂起前", "file": pdf("挂起前.pdf")})
        assert response.status_code == 302
    resource = services.create_resource(by="t", site=site, publish=True, kind="notice", title="存储挂起演练")
    connection.set_schema_to_public()

    with override_settings(**_hung(s3_server, endpoint)):
        assert visitor.get("/").status_code == 200
        listing = admin.get("/admin/documents/")
        assert listing.status_code == 200 and "挂起前" in listing.content.decode()
        assert not held  # neither page opened a connection to S3: nothing to wait for

        for url, data, headers in (
            ("/admin/documents/add/", {"title": "挂起中", "file": pdf("挂起中.pdf")}, {}),
            (f"/admin/library/resources/attach/{resource.pk}/", {"title": "", "file": pdf("附件.pdf")}, {}),
            # the admin's background (XHR) upload: the same message as JSON
            ("/admin/documents/add/", {"title": "挂起中", "file": pdf("挂起中.pdf")}, XHR),
        ):
            response, seconds = timed(lambda url=url, data=data, headers=headers: admin.post(url, data, **headers))
            assert response.status_code == 503, (url, response.status_code)
            body = response.json()["error_message"] if headers else response.content.decode()
            assert UNAVAILABLE in body and "Traceback" not in body, url
            assert response["Retry-After"] == "30"
            assert seconds < BUDGET_SECONDS, (url, seconds)
            assert READ_TIMEOUT <= seconds, (url, seconds)  # it did wait for the hung server, then gave up
        assert held  # the uploads did reach the hung endpoint

        connection.set_schema_to_public()
        assert not Attachment.objects.filter(resource=resource).exists()  # nothing half saved
        with schema_context(site.schema_name):
            assert not Document.objects.filter(title="挂起中").exists()
