"""The one way anything writes to the audit log: ``record(action, actor=..., site=..., obj=...)``."""

from __future__ import annotations

import logging
from typing import Any

from django.db import connection
from django.http import HttpRequest

from audit.models import AuditEvent

logger = logging.getLogger(__name__)


def _actor_name(actor: Any) -> str:
    if actor is None:
        return ""
    if isinstance(actor, str):
        return actor
    return getattr(actor, "username", "") or str(actor)


def _current_site():
    """The current tenant when it is a real site; None on the public schema (the platform).

    Inside ``schema_context`` django-tenants only knows the schema name (a FakeTenant without a
    primary key), so the site is looked up by that name."""
    from django_tenants.utils import get_public_schema_name

    from tenants.models import Site

    schema_name = getattr(connection, "schema_name", None)
    if not schema_name or schema_name == get_public_schema_name():
        return None
    tenant = getattr(connection, "tenant", None)
    if isinstance(tenant, Site) and tenant.pk:
        return tenant
    return Site.objects.filter(schema_name=schema_name).first()


def client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    ip = forwarded.split(",")[0].strip() if forwarded else request.META.get("REMOTE_ADDR", "")
    return ip or None


def record(
    action: str,
    *,
    actor: Any = None,
    site: Any = None,
    obj: Any = None,
    request: HttpRequest | None = None,
    **details: Any,
) -> AuditEvent:
    """Write one event. ``site`` defaults to the current tenant; ``actor`` defaults to the request's
    user. Lead's call sites (provisioning, closure) need nothing but ``record("provision", site=site)``."""
    if actor is None and request is not None:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            actor = user
    if site is None:
        site = _current_site()
    event = AuditEvent(
        action=action,
        actor_username=_actor_name(actor)[:150],
        site=site,
        ip=client_ip(request),
        details={key: value for key, value in details.items() if value is not None},
    )
    if obj is not None:
        event.object_type = obj._meta.label_lower if hasattr(obj, "_meta") else type(obj).__name__
        event.object_id = str(getattr(obj, "pk", "") or "")
        event.object_repr = str(obj)[:255]
    event.save()
    return event
