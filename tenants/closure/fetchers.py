"""How verification fetches a URL without following redirects itself (it checks every hop).

- ``ClientFetcher`` (the default): the cluster's own hosts are answered in-process by Django's test
  client with the Host header set, exceptions turned into 500s; local media files are read as the
  web server in front of the app would serve them; other hosts (S3, a CDN) over HTTP.
- ``HttpFetcher(base_url)``: the cluster's hosts over real HTTP to ``base_url`` (e.g. the app server
  at ``http://127.0.0.1:8000``) with the Host header set, so a check needs no DNS; other hosts are
  connected to as their URL says.
"""

from __future__ import annotations

import http.client
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage, default_storage
from django.db import connection
from django.test import Client
from django.utils.translation import gettext as _

from tenants.models import Domain

TIMEOUT_SECONDS = 20


@dataclass
class Fetched:
    status: int
    location: str  # the Location header, as sent
    body: bytes


class Fetcher(Protocol):
    def get(self, url: str) -> Fetched: ...


def _target(url: str) -> tuple[str, str, int | None, str]:
    parts = urlsplit(url)
    path = parts.path or "/"
    if parts.query:
        path = f"{path}?{parts.query}"
    return parts.scheme or "http", (parts.hostname or "").lower(), parts.port, path


def http_get(scheme: str, connect_host: str, port: int | None, path: str, host_header: str) -> Fetched:
    """One GET over HTTP(S), never following redirects. Network errors become status 0."""
    cls = http.client.HTTPSConnection if scheme == "https" else http.client.HTTPConnection
    conn = cls(connect_host, port, timeout=TIMEOUT_SECONDS)
    try:
        conn.request("GET", path, headers={"Host": host_header, "User-Agent": "zhanqun-closure-verify"})
        response = conn.getresponse()
        return Fetched(response.status, response.getheader("Location", ""), response.read())
    except (OSError, http.client.HTTPException) as exc:
        return Fetched(0, "", str(exc).encode())
    finally:
        conn.close()


def direct_get(url: str) -> Fetched:
    scheme, host, port, path = _target(url)
    netloc = urlsplit(url).netloc
    return http_get(scheme, host, port, path, netloc)


def media_path(path: str) -> bool:
    """A local media file's URL: in production a web server (or S3) serves these, Django only with DEBUG."""
    return isinstance(default_storage, FileSystemStorage) and path.startswith(settings.MEDIA_URL)


def local_media(path: str) -> Fetched:
    """Read a media URL's file as the web server in front of the app would (never outside MEDIA_ROOT)."""
    root = Path(settings.MEDIA_ROOT).resolve()
    file = (root / unquote(urlsplit(path).path[len(settings.MEDIA_URL) :])).resolve()
    if root not in file.parents or not file.is_file():
        return Fetched(404, "", b"")
    return Fetched(200, "", file.read_bytes())


class _ClusterFetcher:
    """Knows which hosts belong to the cluster (the Domain table, read once)."""

    def __init__(self) -> None:
        connection.set_schema_to_public()
        self.cluster_hosts = set(Domain.objects.values_list("domain", flat=True))

    def is_cluster_host(self, host: str) -> bool:
        return host in self.cluster_hosts


class ClientFetcher(_ClusterFetcher):
    def __init__(self) -> None:
        super().__init__()
        self.client = Client(raise_request_exception=False)

    def get(self, url: str) -> Fetched:
        scheme, host, _port, path = _target(url)
        if not self.is_cluster_host(host):
            return direct_get(url)
        response = self.client.get(path, HTTP_HOST=host, secure=scheme == "https")
        # The test client closes the response itself (for a streaming one, once it is read through).
        body = b"".join(response.streaming_content) if response.streaming else response.content
        connection.set_schema_to_public()
        if response.status_code == 404 and media_path(path):
            return local_media(path)  # what the web server in front of the app would answer
        return Fetched(response.status_code, response.get("Location", ""), body)


class HttpFetcher(_ClusterFetcher):
    def __init__(self, base_url: str) -> None:
        super().__init__()
        base = urlsplit(base_url)
        if base.scheme not in {"http", "https"} or not base.hostname:
            raise ValidationError(_("基础地址“%s”无效，应形如 http://127.0.0.1:8000。") % base_url)
        self.scheme, self.host, self.port = base.scheme, base.hostname, base.port

    def get(self, url: str) -> Fetched:
        _scheme, host, _port, path = _target(url)
        if not self.is_cluster_host(host):
            return direct_get(url)
        return http_get(self.scheme, self.host, self.port, path, host)
