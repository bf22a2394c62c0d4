"""The login policy: one password per person, lockout per account, throttling per address, and a
refusal that looks the same from outside whatever its reason until the password is right.

Unknown login name, wrong password, locked account and disabled account all run the password
hasher once (against a dummy hash when there is no account), count one failure for the address,
and get one message. Only after the right password may the answer differ: "no role on this site"
is then said plainly, because the person has proved who they are.

Why a login failed is kept on the request (:func:`reason_of`) for the login form's message and the
audit row; Django's ``authenticate()`` only says "no user".
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum

from django.contrib.auth.hashers import check_password, get_hasher, make_password
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.crypto import get_random_string

from audit.log import record
from identity import throttle
from identity.models import Account, lockout_failures, lockout_minutes
from identity.services import find_account, unlock

_REASON_ATTR = "_identity_login_refusal"


class Refusal(StrEnum):
    """Why a login was refused (the audit row's ``reason``; never shown as such to the client)."""

    UNKNOWN_ACCOUNT = "unknown_account"
    WRONG_PASSWORD = "wrong_password"
    LOCKED = "locked"
    DISABLED = "disabled"
    THROTTLED = "throttled"
    NO_ROLE = "no_role"  # the password was right


@dataclass(frozen=True)
class PasswordCheck:
    """``account`` is set only when the password was right and the account may log in."""

    account: Account | None
    refusal: Refusal | None = None


@functools.lru_cache(maxsize=4)
def _dummy_hash(algorithm: str) -> str:
    """A hash of a random password made by the current hasher, checked for unknown login names so
    that they cost the same time as a real account."""
    return make_password(get_random_string(32))


def check_credentials(username: str, password: str, request: HttpRequest | None = None) -> PasswordCheck:
    """Check a password against the account, counting failures and locking after too many.

    The hasher runs for every attempt that is not throttled (a locked or disabled account's
    password is checked and the result ignored), so a locked account cannot be told from a wrong
    password by its timing. Failures are committed even though the login fails.
    """
    if throttle.is_throttled(request):
        return PasswordCheck(None, Refusal.THROTTLED)
    account = find_account(username or "")
    if account is None:
        check_password(password, _dummy_hash(get_hasher().algorithm))
        refusal = Refusal.UNKNOWN_ACCOUNT
    else:
        correct = check_password(password, account.password)
        if not account.is_active:
            refusal = Refusal.DISABLED
        elif account.is_locked:
            refusal = Refusal.LOCKED
        elif correct:
            if account.failed_login_count or account.locked_until:
                unlock(account)
            return PasswordCheck(account)
        else:
            refusal = Refusal.WRONG_PASSWORD
            _count_account_failure(account, request)
    throttle.count_failure(request, username or "")
    return PasswordCheck(None, refusal)


def _count_account_failure(account: Account, request: HttpRequest | None) -> None:
    with transaction.atomic():
        account = Account.objects.select_for_update().get(pk=account.pk)
        account.failed_login_count += 1
        fields = ["failed_login_count"]
        locked_now = account.failed_login_count >= lockout_failures()
        if locked_now:
            account.locked_until = timezone.now() + timedelta(minutes=lockout_minutes())
            account.failed_login_count = 0
            fields.append("locked_until")
        account.save(update_fields=fields)
    if locked_now:
        record(
            "lockout",
            actor=account.username,
            obj=account,
            request=request,
            minutes=lockout_minutes(),
            failures=lockout_failures(),
        )


def remember_refusal(request: HttpRequest | None, refusal: Refusal | None) -> None:
    if request is not None:
        setattr(request, _REASON_ATTR, refusal)


def reason_of(request: HttpRequest | None) -> Refusal | None:
    """Why this request's login attempt was refused (None: not refused, or not through us)."""
    return getattr(request, _REASON_ATTR, None)
