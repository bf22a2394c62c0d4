"""Content rules in the admin: what a person may create, and what a new article starts with."""

from __future__ import annotations

from django.dispatch import receiver
from django.shortcuts import render
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.translation import gettext as _
from wagtail import hooks
from wagtail.signals import init_new_page

from tenants.content.creation import may_create
from tenants.content.models import ArticlePage


@hooks.register("before_create_page")
def refuse_page_types_beyond_the_role(request, parent_page, page_class):
    if not may_create(request.user, page_class):
        message = _("信息报送员只能在自己的栏目中撰写文章，栏目和资源库列表由站点编辑维护。")
        return render(request, "content/admin_refused.html", {"message": message}, status=403)
    return None


@hooks.register("insert_editor_js")
def submissions_wait_for_autosave():
    """Wagtail's autosave creates a new page with its first request to the create URL; a click on
    提交审核 while that request was in flight posted to the create URL too, and the review queue got
    the article twice. A small static script (the admin's CSP allows no inline code we write) holds
    such a click until the autosave has answered and then sends it where the form points by then.

    Chosen over a server-side guard, which would need a token per editor load and a lock to tell the
    two racing requests apart, and over turning autosave off on the create view (Wagtail has no
    setting for that view alone; the one setting would take autosave from editing existing pages too).
    Nothing is lost: the held submission carries the form as it is when sent.
    """
    return format_html('<script src="{}"></script>', static("content/submit_after_autosave.js"))


@receiver(init_new_page, dispatch_uid="content.article_defaults")
def article_defaults(sender, page, parent, **kwargs) -> None:
    """来源 defaults to the site's own name (most articles are the site's own)."""
    if isinstance(page, ArticlePage) and not page.source:
        site = page.get_site() or parent.get_site()
        page.source = (site.site_name if site else "") or ""
