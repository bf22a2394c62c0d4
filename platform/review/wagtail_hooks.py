"""The review chain in every site's admin: the 待审核 menu item and screen, and dashboard panels."""

from __future__ import annotations

from django.db import connection
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django_tenants.utils import get_public_schema_name
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component

from identity.sessions import account_of
from review.chain import reviewed_sites
from review.submissions import my_submissions
from review.views import decide_view, queue_view


def _on_a_site() -> bool:
    return connection.schema_name != get_public_schema_name()


def _reviews_anything(request) -> bool:
    cached = getattr(request, "_zq_reviews_anything", None)
    if cached is None:
        account = account_of(request.user) if request.user.is_authenticated else None
        cached = bool(account and account.is_active and _on_a_site() and reviewed_sites(account))
        request._zq_reviews_anything = cached
    return cached


@hooks.register("register_admin_urls")
def review_urls():
    return [
        path("review/", queue_view, name="review_queue"),
        path("review/<slug:site_slug>/<str:kind>/<int:item_id>/<str:action>/", decide_view, name="review_decide"),
    ]


class ReviewMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return _reviews_anything(request)


@hooks.register("register_admin_menu_item")
def review_menu_item():
    return ReviewMenuItem(_("待审核"), reverse("review_queue"), icon_name="tasks", order=150)


class MySubmissionsPanel(Component):
    name = "my_submissions"
    order = 90
    template_name = "review/my_submissions_panel.html"

    def __init__(self, submissions):
        self.submissions = submissions

    def get_context_data(self, parent_context=None):
        return {"submissions": self.submissions}


class ReviewQueuePanel(Component):
    name = "review_queue_summary"
    order = 80
    template_name = "review/queue_panel.html"


@hooks.register("construct_homepage_panels")
def review_panels(request, panels) -> None:
    if not _on_a_site():
        return
    if _reviews_anything(request):
        panels.insert(0, ReviewQueuePanel())
    submissions = my_submissions(request.user)
    if submissions:
        panels.insert(0, MySubmissionsPanel(submissions))


@hooks.register("construct_help_menu")
def drop_wagtail_help(request, menu_items) -> None:
    """Wagtail's help items link to its English guide and release notes (and badge them "new" in an
    untranslatable script string); the platform's staff have no use for them."""
    menu_items[:] = []
