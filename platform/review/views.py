"""The 待审核 screen and its approve/reject POSTs (thin: ``review.queue`` and ``review.actions`` decide)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.admin import messages

from identity.models import Account
from identity.sessions import account_of
from review import actions
from review.queue import LIBRARY, PAGE, overdue_elsewhere, review_queue
from review.workdays import overdue_limit


def _account(request: HttpRequest) -> Account | None:
    account = account_of(request.user)
    return account if account is not None and account.is_active else None


def queue_view(request: HttpRequest) -> HttpResponse:
    account = _account(request)
    items = review_queue(account) if account else []
    return render(
        request,
        "review/queue.html",
        {
            "items": items,
            "overdue_count": sum(1 for item in items if item.overdue),
            "limit": overdue_limit(),
            "page_kind": PAGE,
            "library_kind": LIBRARY,
            "overdue_elsewhere": overdue_elsewhere(account) if account else [],
        },
    )


def _denied(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "review/denied.html", {"message": message}, status=403)


@require_POST
def decide_view(request: HttpRequest, site_slug: str, kind: str, item_id: int, action: str) -> HttpResponse:
    account = _account(request)
    if account is None:
        return _denied(request, _("您不负责审核该站点的信息。"))
    comment = request.POST.get("comment", "")
    try:
        if kind == PAGE:
            title = actions.decide_page(account, site_slug, item_id, action, comment)
        elif kind == LIBRARY:
            title = actions.decide_resource(account, site_slug, item_id, action, comment, request=request)
        else:
            raise ValidationError(_("未知的审核对象。"))
    except PermissionDenied as exc:
        return _denied(request, str(exc) or _("您不负责审核该站点的信息。"))
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect("review_queue")
    if kind == PAGE:
        pass  # Wagtail's workflow signals confirm it (review.receivers), as on Wagtail's own screens
    elif action == actions.APPROVE:
        messages.success(request, _("已审核通过“%s”，已发布。") % title)
    else:
        messages.success(request, _("已退回“%s”，报送人将看到您的修改意见。") % title)
    return redirect("review_queue")
