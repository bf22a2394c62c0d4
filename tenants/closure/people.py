"""X's people on P: its editors and submitters become submitters of their section (same account, same
password: identity is cluster-wide), and the authors of X's pages and files stay their authors.

A person who already has a role on P keeps the higher one: an editor of P stays an editor; a
submitter of P also gets the section. What they had before is kept in the ledger for a rollback.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction
from django_tenants.utils import tenant_context
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page

from identity import services
from identity.models import Account, Role, SiteRole
from tenants.closure import ledger
from tenants.closure.models import Closure


def author_usernames(closure: Closure) -> set[str]:
    """Who owns X's pages or uploaded its files (usernames on X)."""
    with tenant_context(closure.site):
        names = set(Page.objects.exclude(owner=None).values_list("owner__username", flat=True))
        for model in (get_image_model(), get_document_model()):
            names |= set(
                model.objects.exclude(uploaded_by_user=None).values_list("uploaded_by_user__username", flat=True)
            )
    return names


def authors_on_target(closure: Closure, usernames: set[str]) -> dict[str, int]:
    """username -> user id on P for X's authors. A person with a cluster account but no user on P gets
    an inactive one (no password of its own, no role), so authorship survives the move."""
    accounts = {a.username.lower(): a for a in Account.objects.filter(username__in=usernames)}
    User = get_user_model()
    with tenant_context(closure.target):
        users = dict(User.objects.filter(username__in=usernames).values_list("username", "id"))
        missing = [name for name in sorted(usernames) if name not in users and name.lower() in accounts]
        if missing:
            with transaction.atomic():
                made = []
                for name in missing:
                    account = accounts[name.lower()]
                    user = User(username=name, display_name=account.display_name, email=account.email, is_active=False)
                    user.set_unusable_password()
                    user.save()
                    users[name] = user.pk
                    made.append((name, user.pk, {}))
                ledger.write(closure, "user", made)
    return users


def convert_roles(closure: Closure, roles: list[dict], *, by) -> int:
    """Grant each of X's role holders the submitter role for the section on P; one transaction each."""
    done = ledger.done(closure, "role")
    target, section = closure.target, closure.section_slug
    converted = 0
    for role in roles:
        key = str(role["account_id"])
        if key in done:
            continue
        with transaction.atomic():
            account = Account.objects.get(pk=role["account_id"])
            with tenant_context(target):
                had_user = get_user_model().objects.filter(username=account.username).exists()
            before = SiteRole.objects.filter(account=account, site=target).first()
            previous = {"role": before.role, "columns": list(before.columns)} if before else None
            if before is not None and before.role == Role.EDITOR:
                changed = False
            else:
                columns = list(before.columns) if before else []
                changed = section not in columns
                if changed:
                    services.grant_role(account, target, Role.SUBMITTER, columns=[*columns, section], by=by)
            ledger.write(
                closure,
                "role",
                [
                    (
                        key,
                        target.pk,
                        {"username": account.username, "previous": previous, "changed": changed, "had_user": had_user},
                    )
                ],
            )
        converted += 1
    return converted
