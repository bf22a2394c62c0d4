"""The per-schema user: a person's presence (and through groups, roles) on one site.

This table exists in every schema (public = the platform console's operators; each site schema =
that site's editors and submitters). Wagtail's permission checks, workflows and notifications all
work on it unchanged, because groups and permissions stay ordinary per-schema Django rows.
"""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from identity.sessions import session_auth_fallback_hashes, session_auth_hash


class User(AbstractUser):
    """A role holder on the current schema's site. ``username`` is the cluster-wide login name."""

    display_name = models.CharField(_("姓名"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def get_full_name(self) -> str:
        return self.display_name or super().get_full_name() or self.username

    def get_session_auth_hash(self) -> str:
        """Sessions end with a password change or a lost role (see ``identity.sessions``)."""
        return session_auth_hash(self)

    def get_session_auth_fallback_hash(self):
        yield from session_auth_fallback_hashes(self)
