"""People across the cluster for operators: find a person, reset their password, disable them.

Passwords and account fields change only through ``identity.services`` (one transaction each, the
site user rows kept in step); this module adds the operator's intent and its audit event.
"""

from __future__ import annotations

import secrets

from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _

from audit.log import record
from identity import services
from identity.models import Account

# No look-alike characters (0/O, 1/l/I): the operator reads the password out to the person.
_ALPHABETS = ("ABCDEFGHJKLMNPQRSTUVWXYZ", "abcdefghijkmnopqrstuvwxyz", "23456789", "#%+=@")
TEMPORARY_PASSWORD_LENGTH = 14


def _username(by) -> str:
    return by if isinstance(by, str) else (getattr(by, "username", "") or "")


def find_people(query: str) -> QuerySet[Account]:
    """Accounts whose login name, name or e-mail contains ``query``, or who hold a role on a site
    whose name or code contains it; with their number of roles."""
    accounts = Account.objects.annotate(role_count=Count("roles", distinct=True)).order_by("username")
    query = (query or "").strip()
    if query:
        accounts = accounts.filter(
            Q(username__icontains=query)
            | Q(display_name__icontains=query)
            | Q(email__icontains=query)
            | Q(roles__site__name__icontains=query)
            | Q(roles__site__slug__icontains=query)
        ).distinct()
    return accounts


def temporary_password() -> str:
    chars = [secrets.choice(alphabet) for alphabet in _ALPHABETS]
    pool = "".join(_ALPHABETS)
    chars += [secrets.choice(pool) for _ in range(TEMPORARY_PASSWORD_LENGTH - len(chars))]
    secrets.SystemRandom().shuffle(chars)
    return "".join(chars)


def reset_password(account: Account, password: str = "", *, by=None, request: HttpRequest | None = None) -> str:
    """Give the account a temporary password (generated unless given; returned once, for the
    operator to hand over) that the person must replace at their next login, in whichever admin."""
    password = password or temporary_password()
    services.set_password(account, password, by=by, request=request)
    # An operator who sets their own password has chosen it: nothing to change at the next login.
    own = getattr(by, "username", by) == account.username
    account.must_change_password = not own
    services.update_account(account, by=by)
    record("account_update", actor=by, site=None, obj=account, request=request,
           password_reset=True, must_change_password=not own)  # fmt: skip
    return password


def set_active(account: Account, active: bool, *, by=None, request: HttpRequest | None = None) -> Account:
    """Disable (or re-enable) an account everywhere: its open sessions end on their next request."""
    if not active and _username(by).lower() == account.username.lower():
        raise ValidationError(_("不能停用自己的账号。"))
    if account.is_active == active:
        return account
    account.is_active = active
    services.update_account(account, by=by)
    record("account_update", actor=by, site=None, obj=account, request=request, is_active=active)
    return account


def unlock(account: Account, *, by=None, request: HttpRequest | None = None) -> None:
    services.unlock(account)
    record("account_update", actor=by, site=None, obj=account, request=request, unlocked=True)


def roles_of(account: Account):
    return account.roles.select_related("site").order_by("site__name")
