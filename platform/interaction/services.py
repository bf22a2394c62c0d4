"""What happens to interaction items: received, answered, decided, extended, transferred, published.

Views and the admin call these; each change that another site or the public will see is audited.
"""

from __future__ import annotations

import secrets

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.log import record
from interaction import deadlines, notifications
from interaction.models import (
    DECISIONS_NEEDING_REASON,
    Decision,
    Item,
    ItemKind,
    ItemStatus,
    Mailbox,
    MailboxKind,
)
from tenants.models import Site, SiteStatus
from tenants.pagecache import store as page_cache

# Unambiguous letters and digits (no 0/O, 1/I/L): read from a phone, typed back.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 12
NUMBER_PREFIX = {ItemKind.LETTER: "XJ", ItemKind.DISCLOSURE: "YSQ", ItemKind.ERROR: "ZC"}

DEFAULT_MAILBOXES = [
    ("leader", "领导信箱", MailboxKind.LEADER, 15),
    ("consult", "咨询", MailboxKind.CONSULT, 5),
    ("complaint", "投诉建议", MailboxKind.COMPLAINT, 10),
]


def ensure_mailboxes(site: Site) -> list[Mailbox]:
    """A site's mailboxes, creating the standard three the first time (every site must have a
    working consultation channel; staff rename, retime or disable them afterwards)."""
    if not Mailbox.objects.filter(site=site).exists():
        for order, (slug, name, kind, days) in enumerate(DEFAULT_MAILBOXES):
            Mailbox.objects.get_or_create(
                site=site, slug=slug, defaults={"name": name, "kind": kind, "deadline_days": days, "ordering": order}
            )
    return list(Mailbox.objects.filter(site=site))


def purge_public_pages(site: Site) -> None:
    """/hudong/ lists mailboxes, published replies and surveys: once a change commits, the site's
    cached pages (tenants.pagecache) are stale."""
    site_id = site.pk
    transaction.on_commit(lambda: page_cache.purge([site_id]))


def normalise_code(code: str) -> str:
    return "".join(code.split()).upper()


def _new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def _new_number(kind: str) -> str:
    today = timezone.localdate()
    return f"{NUMBER_PREFIX[kind]}{today:%Y%m%d}{secrets.randbelow(10**6):06d}"


def receive(site: Site, kind: str, fields: dict, *, mailbox: Mailbox | None = None) -> Item:
    """Store what a citizen sent and start its clock; staff are told by email. A clash of the random
    number or code (practically never) is retried, so nothing a citizen wrote is lost."""
    for _attempt in range(5):
        item = Item(site=site, kind=kind, mailbox=mailbox, number=_new_number(kind), query_code=_new_code(), **fields)
        item.received_at = timezone.now()
        item.due_date = deadlines.due_date_for(item)
        try:
            with transaction.atomic():
                item.save()
            break
        except IntegrityError:
            continue
    else:  # pragma: no cover - 5 clashes of 10^6 × 31^12 random values
        raise RuntimeError("could not allocate an item number")
    transaction.on_commit(lambda: notifications.notify_staff_new(item))
    return item


def find_by_code(code: str) -> Item | None:
    """The item a query code opens, whichever site handles it now (it may have been transferred)."""
    code = normalise_code(code)
    if len(code) != CODE_LENGTH:
        return None
    return Item.objects.select_related("site", "mailbox").filter(query_code=code).first()


def items_of(site: Site):
    """Every query of the staff screens starts here: one site's items only."""
    return Item.objects.filter(site=site).select_related("mailbox", "transferred_from")


def _check_pending(item: Item) -> None:
    if item.status != ItemStatus.PENDING:
        raise ValidationError(_("该事项已办结。"))


@transaction.atomic
def answer(item: Item, text: str, *, user, decision: str = "", reason: str = "", other_body: str = "") -> Item:
    """Answer ``item`` (for 依申请公开 with one of the regulation's decision types); the writer is
    emailed when they left an address."""
    _check_pending(item)
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("请填写答复内容。"))
    if item.kind == ItemKind.DISCLOSURE:
        if decision not in Decision.values:
            raise ValidationError(_("请选择答复类型。"))
        if decision in DECISIONS_NEEDING_REASON and not reason.strip():
            raise ValidationError(_("“%s”须说明理由。") % Decision(decision).label)
        if decision == Decision.NOT_OURS and not other_body.strip():
            raise ValidationError(_("“非本机关负责”须写明负责该信息的机关。"))
        item.decision, item.decision_reason, item.other_body = decision, reason.strip(), other_body.strip()
    item.answer = text
    item.status = ItemStatus.ANSWERED
    item.answered_at = timezone.now()
    item.answered_by = getattr(user, "display_name", "") or getattr(user, "username", "")
    item.save()
    record("interaction.answer", site=item.site, obj=item, actor=user, decision=item.decision or None)
    transaction.on_commit(lambda: notifications.notify_writer_answer(item))
    return item


@transaction.atomic
def assign(item: Item, username: str, *, user) -> Item:
    """Give ``item`` to one of the handling site's staff (blank: back to the whole team)."""
    _check_pending(item)
    item.assignee = username
    item.save(update_fields=["assignee"])
    record("interaction.assign", site=item.site, obj=item, actor=user, assignee=username or None)
    return item


@transaction.atomic
def save_mailboxes(site: Site, mailboxes: list[Mailbox], *, user) -> None:
    """Store a site's edited or new mailboxes (the admin's 信箱设置)."""
    for mailbox in mailboxes:
        mailbox.site = site
        mailbox.save()
    if mailboxes:
        purge_public_pages(site)
        record("interaction.mailboxes", site=site, actor=user, mailboxes=[box.slug for box in mailboxes])


@transaction.atomic
def extend(item: Item, *, user, approver: str, reason: str) -> Item:
    """The one 20-working-day extension of a 依申请公开 request, with who approved it and why."""
    _check_pending(item)
    if item.kind != ItemKind.DISCLOSURE:
        raise ValidationError(_("只有依申请公开事项可以延期。"))
    if item.extended:
        raise ValidationError(_("依申请公开答复期限只能延长一次。"))
    if not approver.strip() or not reason.strip():
        raise ValidationError(_("延期须写明批准人和理由。"))
    item.extended = True
    item.extension_approver, item.extension_reason = approver.strip()[:50], reason.strip()[:500]
    item.due_date = deadlines.due_date_for(item)
    item.save()
    record("interaction.extend", site=item.site, obj=item, actor=user, approver=item.extension_approver)
    return item


@transaction.atomic
def transfer(item: Item, target: Site, *, user, note: str = "") -> Item:
    """Hand ``item`` to another site of the cluster (a township's question to the county or back):
    it leaves this site's lists, keeps its number, code and clock, and lands in the target's 待办."""
    _check_pending(item)
    if target.pk == item.site_id:
        raise ValidationError(_("不能转办给本站点。"))
    if target.status == SiteStatus.CLOSED:
        raise ValidationError(_("该站点已关停，不能转办。"))
    source = item.site
    item.transferred_from = source
    item.site = target
    item.assignee = ""
    if item.mailbox_id:
        boxes = ensure_mailboxes(target)
        same = [box for box in boxes if box.kind == item.mailbox.kind]
        item.mailbox = same[0] if same else (boxes[0] if boxes else None)
    item.save()
    details = {"from_site": source.slug, "to_site": target.slug, "note": note or None}
    record("interaction.transfer", site=source, obj=item, actor=user, **details)
    record("interaction.transfer_in", site=target, obj=item, actor=user, **details)
    transaction.on_commit(lambda: notifications.notify_staff_new(item))
    return item


@transaction.atomic
def set_published(item: Item, published: bool, *, user) -> Item:
    """Publish an answered letter's reply; only when its writer agreed to publication."""
    if published:
        if item.kind != ItemKind.LETTER:
            raise ValidationError(_("只有信件的答复可以公开。"))
        if item.status != ItemStatus.ANSWERED:
            raise ValidationError(_("答复后才能公开。"))
        if not item.may_publish:
            raise ValidationError(_("来信人未同意公开，不能公开。"))
    item.is_published = published
    item.save(update_fields=["is_published"])
    purge_public_pages(item.site)
    record("interaction.publish" if published else "interaction.unpublish", site=item.site, obj=item, actor=user)
    return item


def published_letters(site: Site):
    return (
        Item.objects.filter(site=site, kind=ItemKind.LETTER, status=ItemStatus.ANSWERED, is_published=True)
        .select_related("mailbox")
        .order_by("-answered_at")
    )


def transfer_targets(site: Site):
    """Sites an item can go to: the rest of the cluster that is not closed."""
    return (
        Site.objects.exclude(pk=site.pk)
        .exclude(status=SiteStatus.CLOSED)
        .exclude(schema_name="public")
        .order_by("kind", "name")
    )
