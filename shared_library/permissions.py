"""Who may work on library resources in the admin.

The library's tables (and so its permission rows) live only in the public schema; a site schema
has no ``shared_library`` permissions to grant. On a site, its editors (站点编辑) may therefore
contribute, and nobody else but superusers; in the platform console the usual Django model
permissions apply. Which resources a person then sees, and what they may do to each (e.g. a
township only submitting for review, syndicating only below one's own site), is
``shared_library.rights``, applied by the admin views and ``shared_library.services``.
"""

from __future__ import annotations

from django.db import connection
from wagtail.permission_policies.base import ModelPermissionPolicy

from shared_library.rights import EDITOR, site_role

SITE_EDITOR_ACTIONS = {"add", "change", "view"}


class LibraryPermissionPolicy(ModelPermissionPolicy):
    def user_has_permission(self, user, action: str) -> bool:
        if not (user.is_authenticated and user.is_active):
            return False
        if user.is_superuser:
            return True
        if connection.schema_name == "public":
            return super().user_has_permission(user, action)
        return action in SITE_EDITOR_ACTIONS and site_role(user) == EDITOR

    def user_has_any_permission(self, user, actions) -> bool:
        return any(self.user_has_permission(user, action) for action in actions)
