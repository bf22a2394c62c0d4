"""The closure notice (关停整合公告): published on X and on P, naming the planned date and the new address.

X is then "closing" for the notice period (``settings.ZQ_CLOSURE_NOTICE_DAYS``, 30 by default); an
operator may shorten it only with a recorded reason. Running it again during the notice period
changes the period (and rewrites both notices with the new date). The notices are ordinary articles
in each site's 通知公告 column, recorded in the closure's ledger so a rollback removes them.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import tenant_context

from audit.log import record
from tenants.closure import sitefacts
from tenants.closure.addresses import section_url
from tenants.closure.models import Closure, ClosureItem, ClosureStatus
from tenants.closure.plan import blocking_conflicts, notice_items, refresh
from tenants.content.models import ArticlePage, ColumnKind, ColumnPage
from tenants.events import site_changed_on_commit
from tenants.models import Site, SiteStatus

NOTICES_SLUG = "notices"


def default_days() -> int:
    return int(getattr(settings, "ZQ_CLOSURE_NOTICE_DAYS", 30))


def notice_title(site: Site) -> str:
    return _("关于%s网站关停整合的公告") % site.name


def _notices_column(home) -> tuple[ColumnPage, bool]:
    """The site's 通知公告 column (by slug, else by kind), created under the home page if it has none."""
    columns = ColumnPage.objects.child_of(home).order_by("path")
    column = columns.filter(slug=NOTICES_SLUG).first() or columns.filter(kind=ColumnKind.NOTICES).first()
    if column is not None:
        return column, False
    taken = set(home.get_children().values_list("slug", flat=True))
    slug = NOTICES_SLUG if NOTICES_SLUG not in taken else "closure-notices"
    column = ColumnPage(title=_("通知公告"), slug=slug, kind=ColumnKind.NOTICES, show_in_menus=True)
    home.add_child(instance=column)
    column.save_revision().publish()
    return column, True


def _publish(site: Site, item: ClosureItem | None, *, slug: str, title: str, body: str, source: str) -> dict:
    """Publish (or update) the notice article on ``site``; returns the ledger data for it."""
    with tenant_context(site):
        home = sitefacts.home_page()
        if item is not None:
            article = ArticlePage.objects.get(pk=int(item.target_id))
            article.title, article.body = title, body
            article.save_revision().publish()
            return {**item.data, "title": title}
        column, created = _notices_column(home)
        article = ArticlePage(
            title=title, slug=slug, body=body, source=source, summary=title, publish_date=timezone.localdate()
        )
        column.add_child(instance=article)
        article.save_revision().publish()
        return {
            "page_id": article.pk,
            "path": sitefacts.public_path(article.url_path, home.url_path),
            "title": title,
            "column_created": column.pk if created else None,
        }


def start_notice(closure: Closure, *, by, notice_days: int | None = None, reason: str = "") -> Closure:
    """Start (or adjust) the notice period of a planned closure."""
    if closure.status not in (ClosureStatus.PLANNED, ClosureStatus.NOTICE):
        raise ValidationError(_("关停任务处于“%s”阶段，不能再发布公告。") % closure.get_status_display())
    minimum = default_days()
    days = minimum if notice_days is None else notice_days
    if not isinstance(days, int) or days < 0:
        raise ValidationError(_("公告期天数必须是不小于 0 的整数。"))
    reason = (reason or "").strip()
    if days < minimum and not reason:
        raise ValidationError(_("公告期少于 %d 天，须填写缩短原因。") % minimum)
    if any(conflict["code"] == "section_slug" for conflict in blocking_conflicts(closure)):
        raise ValidationError(_("迁入栏目代号与迁入站点冲突，请先重新规划（更换迁入栏目代号）再发布公告。"))
    first = closure.status == ClosureStatus.PLANNED
    started = closure.notice_started_at or timezone.now()
    planned_date = timezone.localdate(started) + datetime.timedelta(days=days)
    site, target = closure.site, closure.target
    new_url = section_url(closure)
    context = {
        "site": site,
        "target": target,
        "section_title": closure.section_title,
        "planned_date": planned_date,
        "new_url": new_url,
        "started": timezone.localdate(started),
    }
    title, body = notice_title(site), render_to_string("closure/notice_body.html", context)
    slug = f"closure-notice-{closure.pk}"
    with transaction.atomic():
        items = notice_items(closure)
        for key, where, source in (("x", site, site.name), ("p", target, target.name)):
            data = _publish(where, items.get(key), slug=slug, title=title, body=body, source=source)
            ClosureItem.objects.update_or_create(
                closure=closure,
                kind="notice",
                source_id=key,
                defaults={"target_id": str(data["page_id"]), "data": data},
            )
        closure.notice_days = days
        closure.shortened_reason = reason if days < minimum else ""
        closure.notice_started_at = started
        closure.planned_date = planned_date
        closure.status = ClosureStatus.NOTICE
        closure.save()
        Site.objects.filter(pk=site.pk).update(status=SiteStatus.CLOSING)
        site_changed_on_commit(site.pk, "closing")
        site_changed_on_commit(closure.target_id, "updated")
        site.status = SiteStatus.CLOSING
    refresh(closure)  # the notice is a new URL on X: it points at P's notice
    record(
        "closure_notice",
        actor=by,
        site=site,
        obj=closure,
        first=first,
        days=days,
        planned_date=planned_date.isoformat(),
        shortened_reason=closure.shortened_reason or None,
        new_url=new_url,
    )
    return closure
