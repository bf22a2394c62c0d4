"""Login with the cluster-wide account; act as the current site's user.

The password lives on ``identity.Account`` (public schema). A login succeeds on a site only when
that site's schema has an active ``siteusers.User`` of the same name, i.e. the person has a role
there. Permission checks stay Django's/Wagtail's (``ModelBackend``) on that per-site row. The
login policy (lockout, throttling, uniform refusals) is ``identity.login``'s.
"""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from identity.login import Refusal, check_credentials, remember_refusal
from identity.sessions import read_account


def _site_user_model():
    from siteusers.models import User

    return User


class AccountBackend(ModelBackend):
    def authenticate(self, request: HttpRequest | None, username: str | None = None, password: str | None = None, **kw):
        if username is None:
            username = kw.get(_site_user_model().USERNAME_FIELD)
        if not username or password is None:
            return None
        checked = check_credentials(username, password, request=request)
        user, refusal = None, checked.refusal
        if checked.account is not None:
            user = _site_user_model().objects.filter(username=checked.account.username, is_active=True).first()
            if user is None:
                refusal = Refusal.NO_ROLE  # the password was right: the person may be told why
        remember_refusal(request, refusal)
        return user

    def get_user(self, user_id):
        """Called on every request: an inactive site user (revoked role) or a disabled account ends
        the session at once. A lock does not end open sessions (else anyone could log a person out
        by typing wrong passwords); it only stops new logins.

        A site user with no account at all (made by ``createsuperuser`` or a test's
        ``force_login``) can never log in with a password here, so an existing session of theirs
        is honoured as Django's own backend would."""
        user = _site_user_model().objects.filter(pk=user_id, is_active=True).first()
        if user is None:
            return None
        # One read of the account per request, kept on the user for the session hash and the
        # forced-password check that follow in this request (identity.sessions, password_reset).
        user.cluster_account = read_account(user)
        if user.cluster_account is not None and not user.cluster_account.is_active:
            return None
        return user
