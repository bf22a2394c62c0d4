"""Deciding on a submission from the queue, as the reviewer's own user on the submitting site.

Pages go through Wagtail's own task action (``Task.on_action``) inside the site's schema, so the
revision, Wagtail's log, its notifications (email to the submitter) and our audit events are
exactly those of an approval made in that site's admin. Library resources go through
``shared_library.services``. Who may decide is checked here again on every POST: the queue only
lists what the person reviews, but a guessed URL must fail the same way.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context
from wagtail.log_actions import LogContext
from wagtail.models import TaskState

from identity.models import Account, Role, SiteRole
from review.chain import reviewed_sites
from shared_library import services as library
from shared_library.models import Resource
from shared_library.rights import EDITOR, Actor
from siteusers.models import User
from tenants.models import Site

APPROVE, REJECT = "approve", "reject"


def _check(action: str, comment: str) -> str:
    if action not in (APPROVE, REJECT):
        raise ValidationError(_("未知的审核操作。"))
    comment = (comment or "").strip()
    if action == REJECT and not comment:
        raise ValidationError(_("退回修改时请填写修改意见。"))
    if len(comment) > 2000:
        raise ValidationError(_("审核意见不能超过2000字。"))
    return comment


def _reviewed_site(account: Account, site_slug: str) -> Site:
    for site in reviewed_sites(account):
        if site.slug == site_slug:
            return site
    raise PermissionDenied(_("您不负责审核该站点的信息。"))


@transaction.atomic
def decide_page(account: Account, site_slug: str, task_state_id: int, action: str, comment: str = "") -> str:
    """Approve or reject a page's approval task on the site ``site_slug``. Returns the page title."""
    comment = _check(action, comment)
    site = _reviewed_site(account, site_slug)
    with schema_context(site.schema_name):
        user = User.objects.filter(username=account.username, is_active=True).first()
        task_state = TaskState.objects.filter(pk=task_state_id).select_related("workflow_state").first()
        if user is None or task_state is None:
            raise PermissionDenied(_("您不负责审核该站点的信息。"))
        if task_state.status != TaskState.STATUS_IN_PROGRESS:
            raise ValidationError(_("该报送已被处理，无需再次审核。"))
        page = task_state.workflow_state.content_object
        task = task_state.task.specific
        if action not in {name for name, _label, _modal in task.get_actions(page, user)}:
            raise PermissionDenied(_("您不负责审核该站点的信息。"))
        with LogContext(user=user):
            task.on_action(task_state.specific, user, action, comment=comment)
        return page.get_admin_display_title()


def decide_resource(
    account: Account,
    site_slug: str,
    resource_id: int,
    action: str,
    comment: str = "",
    request: HttpRequest | None = None,
) -> str:
    """Approve or reject a township's library submission, as an editor of its parent site."""
    comment = _check(action, comment)
    site = _reviewed_site(account, site_slug)
    resource = Resource.objects.filter(pk=resource_id, source_site=site).first()
    reviews_as_parent = SiteRole.objects.filter(account=account, site_id=site.parent_id, role=Role.EDITOR).exists()
    if resource is None or not (site.reviewed_by_parent and reviews_as_parent):
        raise PermissionDenied(_("您不负责审核该站点的信息。"))
    actor = Actor(username=account.username, site=site.parent, role=EDITOR, request=request)
    if action == APPROVE:
        library.approve(resource, by=actor)
    else:
        library.reject(resource, comment, by=actor)
    return resource.title
