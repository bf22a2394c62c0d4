"""Identity's signal receivers: failed logins are audited with their reason; deleting an account
must not leave active site users behind (their sessions would survive)."""

from __future__ import annotations

from django.contrib.auth.signals import user_login_failed
from django.db.models.signals import pre_delete
from django.dispatch import receiver
from django.http import HttpRequest

from audit.log import record
from identity.login import reason_of
from identity.models import Account
from identity.services import deactivate_site_user, sync_operator


@receiver(user_login_failed, dispatch_uid="identity.login_failed")
def audit_failed_login(sender, credentials: dict, request: HttpRequest | None = None, **kwargs) -> None:
    reason = reason_of(request)
    record(
        "login_failed",
        actor=credentials.get("username", ""),
        request=request,
        reason=str(reason) if reason else None,
    )


@receiver(pre_delete, sender=Account, dispatch_uid="identity.account_deleted")
def deactivate_everywhere(sender, instance: Account, **kwargs) -> None:
    for site_role in instance.roles.select_related("site"):
        deactivate_site_user(instance, site_role.site)
    instance.is_operator = False
    sync_operator(instance)
