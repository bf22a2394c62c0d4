"""Which page types a person may create: site editors any the tree allows; everyone else (the
信息报送员 of a column) only articles. Columns and library list pages shape the site, which is the
editors' job. Enforced when a page is created (``before_create_page``) and used to list the choices."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser

from tenants.content.models import ArticlePage
from tenants.content.skeleton import ROLE_GROUPS

EDITOR_GROUP = ROLE_GROUPS["Moderators"]


def is_site_editor(user: AbstractBaseUser) -> bool:
    if user.is_superuser:
        return True
    cached = getattr(user, "_zq_is_site_editor", None)
    if cached is None:
        cached = user.groups.filter(name=EDITOR_GROUP).exists()
        user._zq_is_site_editor = cached
    return cached


def may_create(user: AbstractBaseUser, page_class) -> bool:
    return is_site_editor(user) or issubclass(page_class, ArticlePage)
