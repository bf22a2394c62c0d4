"""How long a login lasts: as long as the password and the role grant it was opened with.

Django keeps a hash of the user's ``password`` field in the session and ends the session when it
no longer matches. A site user's password is an unusable placeholder (the real one is the
account's), so on its own that hash never changed: sessions survived a password change and a
role revoked and granted again. Here the hash covers both

* the account's password hash: a password change ends every session on every site (the session
  that changed it is re-signed, see ``services.set_password``);
* the site user's placeholder, which serves as the grant token: it is replaced whenever access is
  taken away (role revoked, operator rights removed, account disabled or deleted), so a session
  from before stays dead even after access comes back.

``siteusers.User`` delegates its session hash methods here.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.conf import settings
from django.contrib.auth import SESSION_KEY, get_user_model
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.crypto import salted_hmac

from audit.log import record
from identity.models import Account

_SALT = "identity.sessions.session_auth_hash"


def read_account(user) -> Account | None:
    """The person's account (None: a site user without one, e.g. made by ``createsuperuser``)."""
    return Account.objects.filter(username__iexact=user.username).first()


def account_of(user) -> Account | None:
    """The account ``AccountBackend.get_user`` read for this request (the login backend, the session
    hash, the forced-password check and the review menu all need it: one read serves them), else a
    fresh read."""
    account = getattr(user, "cluster_account", False)
    return read_account(user) if account is False else account


def forget_account(user) -> None:
    """After the account changed in this request (a new password), read it again when next asked."""
    try:
        del user.cluster_account  # a request's user is a lazy wrapper: del reaches the wrapped user
    except AttributeError:
        pass


def session_auth_hash(user, secret: str | None = None) -> str:
    """The value a session must carry. A site user without an account (``createsuperuser``)
    keeps Django's rule: only its own password counts."""
    account = account_of(user)
    account_password = account.password if account is not None else None
    message = user.password if account_password is None else f"{account_password}\n{user.password}"
    return salted_hmac(_SALT, message, secret=secret, algorithm="sha256").hexdigest()


def session_auth_fallback_hashes(user) -> Iterator[str]:
    """The same hash under each of ``SECRET_KEY_FALLBACKS``, so rotating the secret key keeps logins."""
    for secret in settings.SECRET_KEY_FALLBACKS:
        yield session_auth_hash(user, secret=secret)


def renew_grant_token(user) -> None:
    """Give the site user a new grant token (the caller saves ``password``): sessions opened
    before no longer verify."""
    user.set_unusable_password()


def _ended_reason(user) -> str:
    if user is None or not user.is_active:
        return "role_revoked"
    if Account.objects.filter(username=user.username, is_active=False).exists():
        return "account_disabled"
    return "credentials_changed"  # the password changed, or the role was revoked and granted again


def audit_ended_session(request: HttpRequest, user_id) -> None:
    """Record that a session the server had ended was presented again (once: it is then flushed)."""
    User = get_user_model()
    try:
        user = User._default_manager.filter(pk=User._meta.pk.to_python(user_id)).first()
    except ValidationError:
        user = None
    record(
        "session_revoked",
        actor=user.username if user is not None else "",
        obj=user,
        request=request,
        reason=_ended_reason(user),
    )


def session_user_id(request: HttpRequest):
    """The user id a request's session names, if any. A request without a session cookie is not
    looked at: reading its (empty) session would add ``Vary: Cookie`` to every anonymous page."""
    session = getattr(request, "session", None)
    if session is None or settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return None
    return session.get(SESSION_KEY)
