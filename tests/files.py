"""Helpers for file scenarios run on both media backends: local files and a real S3 server.

``media_backend`` switches the settings the way production does (``S3_*`` set or not) and answers
where a stored file is and what a URL serves, following a redirect to S3 like a browser would.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from django.db import connection
from django.test import Client, override_settings
from django_tenants.utils import schema_context

from tests.helpers import client_for


@dataclass
class Download:
    status: int
    headers: dict[str, str]  # lower-case names
    body: bytes


def fetch_remote(url: str) -> Download:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return Download(response.status, {k.lower(): v for k, v in response.headers.items()}, response.read())
    except urllib.error.HTTPError as error:
        return Download(error.code, {k.lower(): v for k, v in error.headers.items()}, error.read())


def download(client: Client, url: str) -> Download:
    """GET ``url`` as a browser would: absolute URLs from the network, one redirect to S3 followed."""
    if url.startswith("http"):
        return fetch_remote(url)
    response = client.get(url)
    if response.status_code in (301, 302) and response["Location"].startswith("http"):
        return fetch_remote(response["Location"])
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return Download(response.status_code, {k.lower(): v for k, v in response.items()}, body)


class LocalMedia:
    name = "local"

    def __init__(self, root: Path) -> None:
        self.root = root

    def exists(self, key: str) -> bool:
        return (self.root / key).is_file()

    def metadata(self, key: str) -> dict[str, str]:  # pragma: no cover - S3 only
        raise NotImplementedError


class S3Media:
    name = "s3"

    def __init__(self, server) -> None:
        self.server = server
        self.client = server.client()

    def exists(self, key: str) -> bool:
        from botocore.exceptions import ClientError

        try:
            self.client.head_object(Bucket=self.server.bucket, Key=key)
        except ClientError:
            return False
        return True

    def metadata(self, key: str) -> dict[str, str]:
        head = self.client.head_object(Bucket=self.server.bucket, Key=key)
        return {"ContentType": head.get("ContentType", ""), "ContentDisposition": head.get("ContentDisposition", "")}


def s3_settings(server) -> dict:
    return {
        **server.django_settings(),
        "STORAGES": {
            "default": {"BACKEND": "tenants.storage.TenantS3Storage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
    }


def media_backend(request, tmp_path: Path):
    """Generator behind the ``media`` fixtures: local files under ``tmp_path``, or the session's S3."""
    if request.param == "local":
        with override_settings(MEDIA_ROOT=str(tmp_path)):
            yield LocalMedia(tmp_path)
    else:
        server = request.getfixturevalue("s3_server")
        with override_settings(**s3_settings(server)):
            yield S3Media(server)


def site_admin(site, username: str = "files-admin") -> Client:
    """A superuser of one site, logged in on that site's host."""
    from siteusers.models import User

    with schema_context(site.schema_name):
        user = User.objects.create_superuser(
            username=f"{username}-{site.slug}", password="x" * 12, email="files@example.com"
        )
        client = client_for(site)
        client.force_login(user)
    connection.set_schema_to_public()
    return client
