"""Keys and purges of the page cache.

An entry is keyed by site id and the request's path with its query string, not by host: an alias the
site serves shares the primary domain's entries (redirecting aliases answer 301 before the cache).
Each site has a generation token; an entry is served only if it was stored under the site's current
token, so purging a site is one write of a new token (``purge``) and its old entries simply expire.
The token is read *before* the page is rendered and stored with it, so a page rendered while a purge
happened is stored under the old token and never served.

Everything is read and written in the public schema's key space (the cache's key function prefixes
the connection's schema), so the middleware (in a site's schema) and the receivers (anywhere) agree.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django_tenants.utils import get_public_schema_name, schema_context


def enabled() -> bool:
    return settings.ZQ_PAGE_CACHE_SECONDS > 0


def generation_key(site_id: int) -> str:
    return f"zq:page-gen:{site_id}"


def entry_key(site_id: int, full_path: str) -> str:
    digest = hashlib.sha256(full_path.encode("utf-8", "surrogateescape")).hexdigest()[:40]
    return f"zq:page:{site_id}:{digest}"


@dataclass
class Lookup:
    generation: str
    entry: dict | None  # {"generation", "path", "status", "headers", "content"} when servable


def lookup(site_id: int, full_path: str) -> Lookup:
    """The site's current generation and the entry for ``full_path`` if stored under it (one round trip)."""
    gen_key, key = generation_key(site_id), entry_key(site_id, full_path)
    with schema_context(get_public_schema_name()):
        found = cache.get_many([gen_key, key])
        generation = found.get(gen_key)
        if generation is None:
            cache.add(gen_key, uuid.uuid4().hex, None)
            generation = cache.get(gen_key)
    entry = found.get(key)
    if entry is not None and (entry.get("generation") != generation or entry.get("path") != full_path):
        entry = None
    return Lookup(generation, entry)


def put(site_id: int, full_path: str, generation: str, status: int, headers: list, content: bytes) -> None:
    entry = {"generation": generation, "path": full_path, "status": status, "headers": headers, "content": content}
    with schema_context(get_public_schema_name()):
        cache.set(entry_key(site_id, full_path), entry, settings.ZQ_PAGE_CACHE_SECONDS)


def purge(site_ids: Iterable[int | None]) -> list[int]:
    """Make every cached page of these sites stale at once (a new generation token each)."""
    ids = sorted({int(site_id) for site_id in site_ids if site_id is not None})
    if ids:
        with schema_context(get_public_schema_name()):
            cache.set_many({generation_key(site_id): uuid.uuid4().hex for site_id in ids}, None)
    return ids
