"""Everything that changes an identity or a role. One transaction each: the public schema and the
site schemas share one database, so a role is never granted in the registry but not on the site.

Views, console forms and management commands call these and nothing else.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, Permission
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import get_public_schema_name, schema_context

from audit.log import record
from identity.events import role_changed
from identity.models import Account, Role, SiteRole, lockout_minutes
from identity.sessions import forget_account, renew_grant_token

EDITOR_GROUP = "站点编辑"
SUBMITTER_GROUP_PREFIX = "信息报送员："
# What a submitter may do in their own column: create drafts and edit them. Never "publish",
# never "bulk_delete": Wagtail then refuses publishing and deleting anything live.
SUBMITTER_PAGE_PERMISSIONS = ("add", "change")


def _actor(by) -> str:
    if by is None:
        return ""
    return by if isinstance(by, str) else getattr(by, "username", str(by))


def find_account(username: str) -> Account | None:
    return Account.objects.filter(username__iexact=username.strip()).first()


def _check_password_strength(raw: str, account: Account) -> None:
    """AUTH_PASSWORD_VALIDATORS: length, common, numeric, similarity and character classes."""
    validate_password(raw, user=account)


@transaction.atomic
def create_account(
    username: str,
    password: str,
    *,
    display_name: str = "",
    email: str = "",
    is_operator: bool = False,
    by=None,
) -> Account:
    username = username.strip()
    if not username:
        raise ValidationError({"username": _("登录名不能为空。")})
    if find_account(username):
        raise ValidationError({"username": _("登录名“%s”已被使用。") % username})
    account = Account(username=username, display_name=display_name, email=email, is_operator=is_operator)
    try:
        _check_password_strength(password, account)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from exc
    account.password = make_password(password)
    account.password_changed_at = timezone.now()
    account.save()
    sync_operator(account)
    return account


@transaction.atomic
def set_password(account: Account, raw: str, *, by=None, request: HttpRequest | None = None) -> None:
    """Change the one password of the whole platform (validated; audited).

    Every session of the person on every site ends (the session hash covers the account's
    password, see ``identity.sessions``), except the one making the change when it is theirs."""
    _check_password_strength(raw, account)
    account.password = make_password(raw)
    account.password_changed_at = timezone.now()
    account.failed_login_count = 0
    account.locked_until = None
    account.save(update_fields=["password", "password_changed_at", "failed_login_count", "locked_until"])
    user = getattr(request, "user", None)
    own_session = bool(user and user.is_authenticated and user.username == account.username)
    if own_session:
        forget_account(user)  # the hash must cover the new password, not the one read earlier
        update_session_auth_hash(request, user)
    record(
        "password_change",
        actor=_actor(by) or account.username,
        site=None,
        obj=account,
        request=request,
        sessions_ended="others" if own_session else "all",
    )


# Fields an operator edits on an account (console): their changes are audited as account_update.
EDITABLE_ACCOUNT_FIELDS = ("display_name", "email", "is_active", "is_operator")


@transaction.atomic
def update_account(account: Account, *, by=None, request: HttpRequest | None = None) -> Account:
    """Save edited profile fields and mirror them on every site user row and the operator row.

    A disabled account's sessions end everywhere and stay ended when it is enabled again. What
    changed (old and new value) is audited."""
    before = Account.objects.filter(pk=account.pk).values(*EDITABLE_ACCOUNT_FIELDS).first() or {}
    account.save()
    changes = {
        field: [before.get(field), getattr(account, field)]
        for field in EDITABLE_ACCOUNT_FIELDS
        if before.get(field) != getattr(account, field)
    }
    if changes:
        record("account_update", actor=_actor(by), site=None, obj=account, request=request, changes=changes)
    for site_role in account.roles.select_related("site"):
        with schema_context(site_role.site.schema_name):
            user = _site_user_model().objects.filter(username=account.username).first()
            if user is None:
                continue
            user.display_name, user.email = account.display_name, account.email
            if not account.is_active:
                renew_grant_token(user)
            user.save(update_fields=["display_name", "email", "password"])
    sync_operator(account)
    return account


def unlock(account: Account, *, by=None, request: HttpRequest | None = None) -> None:
    """Clear failures and any lock. Audited when a person (``by``) does it, not after a good login."""
    account.failed_login_count = 0
    account.locked_until = None
    account.save(update_fields=["failed_login_count", "locked_until"])
    if by is not None:
        record("account_update", actor=_actor(by), site=None, obj=account, request=request, locked=False)


def lock(account: Account, *, minutes: int | None = None, by=None, request: HttpRequest | None = None) -> None:
    account.locked_until = timezone.now() + timedelta(minutes=minutes or lockout_minutes())
    account.save(update_fields=["locked_until"])
    if by is not None:
        record(
            "account_update",
            actor=_actor(by),
            site=None,
            obj=account,
            request=request,
            locked=True,
            minutes=minutes or lockout_minutes(),
        )


# --- Roles ------------------------------------------------------------------------------------


def _site_user_model():
    from siteusers.models import User

    return User


def ensure_site_user(account: Account):
    """The site schema's row for this person: same username, no usable password of its own.
    Keeps its groups (callers decide them)."""
    User = _site_user_model()
    user = User.objects.filter(username=account.username).first()
    if user is None:
        user = User(username=account.username)
        user.set_unusable_password()
    user.display_name = account.display_name
    user.email = account.email
    user.is_active = True
    user.save()
    return user


def _column_group(column) -> Group:
    """One group per column, created on demand, allowed to add and edit pages under that column only."""
    from wagtail.models import GroupPagePermission

    group, created = Group.objects.get_or_create(name=f"{SUBMITTER_GROUP_PREFIX}{column.title}"[:150])
    if created:
        group.permissions.add(Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"))
    for permission_type in SUBMITTER_PAGE_PERMISSIONS:
        if not GroupPagePermission.objects.filter(
            group=group, page=column, permission__codename=f"{permission_type}_page"
        ).exists():
            GroupPagePermission.objects.create(group=group, page=column, permission_type=permission_type)
    return group


def site_columns() -> list:
    """The current site schema's columns (top-level first), for choosing what a submitter writes in."""
    from tenants.content.models import ColumnPage

    return list(ColumnPage.objects.order_by("depth", "path"))


def _columns_by_slug(slugs: Iterable[str]) -> list:
    columns = {}
    for column in site_columns():
        columns.setdefault(column.slug, column)
    missing = [slug for slug in slugs if slug not in columns]
    if missing:
        raise ValidationError({"columns": _("本站没有这些栏目：%s") % "、".join(missing)})
    return [columns[slug] for slug in slugs]


@transaction.atomic
def grant_role(
    account: Account,
    site,
    role: str,
    columns: Iterable[str] | None = None,
    by=None,
    request: HttpRequest | None = None,
) -> SiteRole:
    """Give ``account`` exactly ``role`` on ``site`` (replacing any role it had there), in one step."""
    if site.schema_name == get_public_schema_name():
        raise ValidationError({"site": _("平台本身不能授予站点角色，请设置为平台运维人员。")})
    if role not in Role.values:
        raise ValidationError({"role": _("未知角色：%s") % role})
    slugs = list(dict.fromkeys(s.strip() for s in (columns or []) if s and s.strip()))
    if role == Role.SUBMITTER and not slugs:
        raise ValidationError({"columns": _("信息报送员至少要指定一个栏目。")})
    if role == Role.EDITOR:
        slugs = []
    with schema_context(site.schema_name):
        groups = [Group.objects.get(name=EDITOR_GROUP)] if role == Role.EDITOR else []
        groups += [_column_group(column) for column in _columns_by_slug(slugs)]
        user = ensure_site_user(account)
        user.groups.set(groups)
    site_role, _created = SiteRole.objects.update_or_create(
        account=account,
        site=site,
        defaults={"role": role, "columns": slugs, "granted_by": _actor(by), "granted_at": timezone.now()},
    )
    record(
        "role_grant",
        actor=_actor(by),
        site=site,
        obj=account,
        request=request,
        role=role,
        columns=slugs,
    )
    role_changed.send(sender=SiteRole, account=account, site=site, by=by, request=request)
    return site_role


def deactivate_site_user(account: Account, site) -> None:
    with schema_context(site.schema_name):
        user = _site_user_model().objects.filter(username=account.username).first()
        if user is not None:
            user.is_active = False
            renew_grant_token(user)
            user.save(update_fields=["is_active", "password"])
            user.groups.clear()


@transaction.atomic
def revoke_role(account: Account, site, by=None, request: HttpRequest | None = None) -> bool:
    """Take away the person's role on ``site``. Their open sessions there end on the next request
    (the backend refuses an inactive site user) and stay ended after a new grant (new grant token)."""
    deleted, _rows = SiteRole.objects.filter(account=account, site=site).delete()
    deactivate_site_user(account, site)
    record("role_revoke", actor=_actor(by), site=site, obj=account, request=request, had_role=bool(deleted))
    role_changed.send(sender=SiteRole, account=account, site=site, by=by, request=request)
    return bool(deleted)


def sync_operator(account: Account) -> None:
    """Operators get a superuser row in the public schema (the console's Wagtail admin). Losing
    operator rights or being disabled renews its grant token: console sessions stay ended."""
    with schema_context(get_public_schema_name()):
        User = _site_user_model()
        user = User.objects.filter(username=account.username).first()
        if account.is_operator:
            if user is None:
                user = User(username=account.username)
                user.set_unusable_password()
            user.is_superuser = user.is_staff = True
            user.is_active = account.is_active
            user.display_name = account.display_name
            user.email = account.email
            if not account.is_active:
                renew_grant_token(user)
            user.save()
        elif user is not None:
            user.is_superuser = user.is_staff = user.is_active = False
            renew_grant_token(user)
            user.save(update_fields=["is_superuser", "is_staff", "is_active", "password"])
