"""Who may work on library resources in the admin.

The library's tables (and so its permission rows) live only in the public schema; a site schema
has no ``shared_library`` permissions to grant. On a site, its editors (站点编辑) may therefore
contribute, and nobody else but superusers; in the platform console the usual Django model
permissions apply. What a contributor may then do to one resource (e.g. a township only
submitting for review) is enforced by ``shared_library.services``.
"""

from __future__ import annotations

from django.db import connection
from wagtail.permission_policies.base import ModelPermissionPolicy

from tenants.content.skeleton import ROLE_GROUPS

SITE_EDITOR_GROUP = ROLE_GROUPS["Moderators"]
SITE_EDITOR_ACTIONS = {"add", "change", "view"}


class LibraryPermissionPolicy(ModelPermissionPolicy):
    def user_has_permission(self, user, action: str) -> bool:
        if not (user.is_authenticated and user.is_active):
            return False
        if user.is_superuser:
            return True
        if connection.schema_name == "public":
            return super().user_has_permission(user, action)
        return action in SITE_EDITOR_ACTIONS and user.groups.filter(name=SITE_EDITOR_GROUP).exists()

    def user_has_any_permission(self, user, actions) -> bool:
        return any(self.user_has_permission(user, action) for action in actions)
