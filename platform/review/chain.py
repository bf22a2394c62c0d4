"""Who reviews a site's submissions, and the site rows that let them do it.

The right to review is derived, never granted by hand: an editor (站点编辑) of a site reviews the
sites directly below it whose ``review_by`` names the parent. In the child's schema such a person
gets a site user in the group ``上级审核``, which Wagtail's own approval task accepts; it grants
admin access and the page "publish" right (Wagtail publishes an approved revision as the approver
and checks it) and nothing else (no add/edit, settings or user rights), so a reviewer approves,
rejects and thereby publishes, but is not an editor there.

:func:`sync_site` makes one child match the registry (``identity.SiteRole`` + ``Site.review_by``);
it is idempotent and runs whenever one of its inputs changes: a role granted or revoked on the
site or its parent, ``review_by`` changed, the site re-parented, a site provisioned. A reviewer who
loses the right loses the group, and their site user is disabled with a new grant token (so their
sessions there end) unless they hold a role of their own on that site.
"""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context, schema_exists
from wagtail.models import GroupApprovalTask, GroupPagePermission, Page, Workflow

from audit.log import record
from identity.models import Account, Role, SiteRole
from identity.services import EDITOR_GROUP, ensure_site_user
from identity.sessions import renew_grant_token
from siteusers.models import User
from tenants.models import Site, SiteStatus

REVIEWER_GROUP = "上级审核"
WORKFLOW_NAME = "信息审核"
TASK_NAME = "审核发布"
# Wagtail's migrations create this workflow and task (attached to the root page) in every schema.
WAGTAIL_DEFAULT_NAME = "Moderators approval"


def reviewer_accounts(site: Site) -> list[Account]:
    """Active accounts that review ``site`` as editors of its parent (empty when it reviews itself)."""
    if not site.reviewed_by_parent or site.status == SiteStatus.CLOSED:
        return []
    return list(
        Account.objects.filter(is_active=True, roles__site_id=site.parent_id, roles__role=Role.EDITOR).order_by("pk")
    )


def reviewed_sites(account: Account) -> list[Site]:
    """Every site whose submissions ``account`` reviews: their own (where it reviews itself) and the
    children that name their parent. One query."""
    editor_of = list(SiteRole.objects.filter(account=account, role=Role.EDITOR).values_list("site_id", flat=True))
    if not editor_of or not account.is_active:
        return []
    candidates = Site.objects.filter(pk__in=editor_of) | Site.objects.filter(parent_id__in=editor_of)
    sites = []
    for site in candidates.exclude(status=SiteStatus.CLOSED).select_related("parent").order_by("kind", "name"):
        if site.pk in editor_of and site.reviewed_by_own:
            sites.append(site)
        elif site.parent_id in editor_of and site.reviewed_by_parent:
            sites.append(site)
    return sites


def ensure_review_setup(site: Site) -> Group:
    """In the current (site) schema: the reviewer group, Chinese names for Wagtail's default workflow
    and task, and the task's approving groups per ``site.review_by``. Idempotent."""
    group, created = Group.objects.get_or_create(name=REVIEWER_GROUP)
    if created:
        group.permissions.add(Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"))
    # Wagtail publishes an approved revision as the approver and checks their publish right then.
    home = Page.objects.filter(depth=2).order_by("path").first()
    if (
        home is not None
        and not GroupPagePermission.objects.filter(group=group, permission__codename="publish_page").exists()
    ):
        GroupPagePermission.objects.create(group=group, page=home, permission_type="publish")
    Workflow.objects.filter(name=WAGTAIL_DEFAULT_NAME).update(name=WORKFLOW_NAME)
    GroupApprovalTask.objects.filter(name=WAGTAIL_DEFAULT_NAME).update(name=TASK_NAME)
    task = GroupApprovalTask.objects.filter(name=TASK_NAME).first()
    if task is not None:
        # The site's own editors may publish anyway, so they always keep Wagtail's approve action;
        # ``review_by`` decides whether the parent's editors review too and whose queue lists it.
        approvers = list(Group.objects.filter(name=EDITOR_GROUP))
        if site.reviewed_by_parent:
            approvers.append(group)
        task.groups.set(approvers)
    return group


def _disable(user: User) -> None:
    user.is_active = False
    renew_grant_token(user)
    user.save(update_fields=["is_active", "password"])


@transaction.atomic
def sync_site(site: Site, *, by=None, request: HttpRequest | None = None) -> tuple[list[str], list[str]]:
    """Make ``site``'s reviewer users match the registry. Returns (added, removed) usernames; every
    change is audited as a role grant/revoke with ``role="reviewer"``."""
    if not schema_exists(site.schema_name) or site.status == SiteStatus.CLOSED:
        return [], []
    wanted = {account.username: account for account in reviewer_accounts(site)}
    own_roles = set(SiteRole.objects.filter(site=site).values_list("account__username", flat=True))
    added, removed = [], []
    with schema_context(site.schema_name):
        group = ensure_review_setup(site)
        current = {user.username: user for user in User.objects.filter(groups=group)}
        for username, account in wanted.items():
            user = current.get(username)
            if user is not None and user.is_active:
                continue
            user = ensure_site_user(account)
            user.groups.add(group)
            added.append(username)
        for username, user in current.items():
            if username in wanted:
                continue
            user.groups.remove(group)
            if username not in own_roles:
                _disable(user)
            removed.append(username)
    via = site.parent.slug if site.parent_id else ""
    for username in added:
        record("role_grant", actor=by, site=site, obj=wanted[username], request=request, role="reviewer", via=via)
    for username in removed:
        account = Account.objects.filter(username=username).first()
        record("role_revoke", actor=by, site=site, obj=account or username, request=request, role="reviewer", via=via)
    return added, removed


def sync_around(site: Site, *, by=None, request: HttpRequest | None = None) -> None:
    """A role on ``site`` changed: its own reviewer rows (a person may hold both) and its children's."""
    sync_site(site, by=by, request=request)
    for child in Site.objects.filter(parent=site).exclude(status=SiteStatus.CLOSED):
        sync_site(child, by=by, request=request)


def reviewer_user(account: Account, site: Site) -> User | None:
    """In the current schema (``site``'s): the person's user if they may review there, else None."""
    if site not in reviewed_sites(account):
        return None
    return User.objects.filter(username=account.username, is_active=True).first()


def describe(site: Site) -> str:
    return _("由上级站点审核") if site.reviewed_by_parent else _("由本站编辑审核")
