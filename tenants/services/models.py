"""办事指南 (service guide) pages: the national rules' required elements, enforced on publish.

A draft may be incomplete (staff fill a guide in over days); publishing — from the admin's publish
button, a workflow approval or ``revision.publish()`` — refuses a guide missing any element, so
an incomplete guide never reaches the public.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page

from shared_library.guides import REQUIRED_ELEMENTS, incomplete_error, is_blank, missing_elements


class ServiceGuideForm(WagtailAdminPageForm):
    """The admin's publish button checks the elements as form errors (a draft save does not)."""

    def clean(self):
        cleaned = super().clean()
        if "action-publish" in self.data:
            for name, label in REQUIRED_ELEMENTS:
                if is_blank(cleaned.get(name)):
                    self.add_error(name, _("发布前请填写“%s”。") % label)
        return cleaned


class ServiceGuidePage(Page):
    item_name = models.CharField(_("事项名称"), max_length=200, blank=True)
    legal_basis = RichTextField(_("设定依据"), blank=True)
    conditions = RichTextField(_("受理条件"), blank=True)
    materials = RichTextField(_("申请材料"), blank=True)
    process = RichTextField(_("办理流程"), blank=True)
    time_limit = models.CharField(_("办理时限"), max_length=200, blank=True)
    fees = models.CharField(_("收费标准"), max_length=200, blank=True)
    location = models.CharField(_("办理地点"), max_length=300, blank=True)
    phone = models.CharField(_("咨询电话"), max_length=100, blank=True)
    online_url = models.URLField(_("网上办理地址"), blank=True)

    base_form_class = ServiceGuideForm
    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [FieldPanel(name) for name, _label in REQUIRED_ELEMENTS] + [FieldPanel("online_url")],
            heading=_("必备要素（发布时必须齐全）"),
        ),
        InlinePanel("forms", label=_("表格下载")),
    ]
    parent_page_types = ["content.ColumnPage"]
    subpage_types: list[str] = []
    template = "services/service_guide_page.html"

    class Meta:
        verbose_name = _("办事指南")

    def save(self, *args, **kwargs):
        """A guide created already live (``add_child`` of a live instance, an import) skips
        ``publish()``: the same rule applies to it. (Not in ``clean()``: the admin validates a new
        page before it marks it a draft.)"""
        if self._state.adding and self.live:
            missing = missing_elements(self)
            if missing:
                raise incomplete_error(missing)
        return super().save(*args, **kwargs)

    def publish(self, revision, *args, **kwargs):
        """Every publish path (admin, workflow approval, ``revision.publish()``) comes here."""
        missing = missing_elements(revision.as_object())
        if missing:
            raise incomplete_error(missing)
        return super().publish(revision, *args, **kwargs)


class ServiceGuideDocument(Orderable):
    page = ParentalKey(ServiceGuidePage, on_delete=models.CASCADE, related_name="forms")
    title = models.CharField(_("表格名称"), max_length=200)
    document = models.ForeignKey(
        "wagtaildocs.Document", verbose_name=_("文件"), on_delete=models.CASCADE, related_name="+"
    )

    panels = [FieldPanel("title"), FieldPanel("document")]
