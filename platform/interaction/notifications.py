"""Emails through Django's email framework: staff hear of new and overdue items, writers who left an
address get the answer. A mail server that is down never loses a letter: failures are logged."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context

from identity.services import EDITOR_GROUP
from interaction.models import Item
from siteusers.models import User
from tenants.addresses import root_url
from tenants.models import Site

logger = logging.getLogger(__name__)


def staff_addresses(site: Site, item: Item | None = None) -> list[str]:
    """The mailbox's own address, else the site's editors (站点编辑) who have one."""
    if item is not None and item.mailbox_id and item.mailbox.notify_email:
        return [item.mailbox.notify_email]
    with schema_context(site.schema_name):
        return sorted(
            set(
                User.objects.filter(is_active=True, groups__name=EDITOR_GROUP)
                .exclude(email="")
                .values_list("email", flat=True)
            )
        )


def _send(subject: str, body: str, recipients: list[str]) -> bool:
    if not recipients:
        return False
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
        return True
    except Exception:  # noqa: BLE001 - a mail outage must not undo what the citizen sent
        logger.exception("interaction mail to %s failed", recipients)
        return False


def notify_staff_new(item: Item) -> bool:
    body = _(
        "%(site)s收到新的%(kind)s：\n受理编号：%(number)s\n标题：%(subject)s\n"
        "办理期限：%(due)s\n请登录 %(admin)s 办理。"
    ) % {
        "site": item.site.name,
        "kind": item.get_kind_display(),
        "number": item.number,
        "subject": item.subject,
        "due": item.due_date.isoformat(),
        "admin": f"{root_url(item.site)}/admin/hudong/{item.pk}/",
    }
    return _send(
        _("【新%(kind)s】%(subject)s") % {"kind": item.get_kind_display(), "subject": item.subject},
        body,
        staff_addresses(item.site, item),
    )


def notify_writer_answer(item: Item) -> bool:
    if not item.email:
        return False
    body = _(
        "您好：\n您提交的“%(subject)s”（受理编号 %(number)s）已答复：\n\n%(answer)s\n\n"
        "也可凭查询码在 %(url)s 查看。\n%(site)s"
    ) % {
        "subject": item.subject,
        "number": item.number,
        "answer": item.answer,
        "url": f"{root_url(item.site)}/hudong/chaxun/",
        "site": item.site.name,
    }
    return _send(
        _("您的%(kind)s已答复（%(number)s）") % {"kind": item.get_kind_display(), "number": item.number},
        body,
        [item.email],
    )


def notify_staff_overdue(site: Site, items: list[Item]) -> bool:
    if not items:
        return False
    lines = [f"{item.number}  {item.subject}  {_('期限')} {item.due_date.isoformat()}" for item in items]
    body = _("%(site)s有 %(count)d 件互动事项已超过办理期限：\n") % {"site": site.name, "count": len(items)}
    return _send(
        _("【逾期提醒】%(count)d 件互动事项已超期") % {"count": len(items)},
        body + "\n".join(lines),
        staff_addresses(site),
    )
