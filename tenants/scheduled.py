"""The platform's scheduled jobs that belong to sites (registered with ``jobs.scheduler``).

- ``pool_top_up``: rebuild a stale template and top the warm pool up to ``ZQ_POOL_SIZE``, so bulk
  provisioning keeps claiming spares instead of replaying the dump (only ``setup_platform`` did it).
- ``clear_sessions``: ``clearsessions`` for every schema: each site keeps its own session table
  (a login on one site is never a login on another), which Django's command only cleans in one.
"""

from __future__ import annotations

import datetime

from django.contrib.sessions.backends.db import SessionStore
from django.db import connection
from django_tenants.utils import get_public_schema_name, schema_context, schema_exists

from jobs.scheduler import register
from tenants.models import Site
from tenants.pool import top_up


@register("pool_top_up", every=datetime.timedelta(minutes=10), title="补足预建站点池")
def pool_top_up() -> str:
    return f"新增 {top_up()} 个预建站点"  # 0 at once when another machine is refilling


@register("clear_sessions", every=datetime.timedelta(days=1), title="清理过期会话（每个站点）")
def clear_sessions() -> str:
    connection.set_schema_to_public()
    schemas = [get_public_schema_name()] + list(
        Site.objects.exclude(schema_name=get_public_schema_name()).values_list("schema_name", flat=True)
    )
    cleaned = 0
    for schema in schemas:
        if not schema_exists(schema):
            continue  # an archived site keeps its row, not its schema
        with schema_context(schema):
            SessionStore.clear_expired()
        cleaned += 1
    return f"已清理 {cleaned} 个 schema 的过期会话"
