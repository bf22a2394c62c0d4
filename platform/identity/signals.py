"""Deleting an account must not leave active site users behind (their sessions would survive)."""

from __future__ import annotations

from django.db.models.signals import pre_delete
from django.dispatch import receiver

from identity.models import Account


@receiver(pre_delete, sender=Account, dispatch_uid="identity.account_deleted")
def deactivate_everywhere(sender, instance: Account, **kwargs) -> None:
    from identity.services import deactivate_site_user, sync_operator

    for site_role in instance.roles.select_related("site"):
        deactivate_site_user(instance, site_role.site)
    instance.is_operator = False
    sync_operator(instance)
