"""Plain admin screens (one template, no Wagtail model viewset) with their own title in the header.

Wagtail's ``WagtailAdminTemplateMixin`` heads a page with its last breadcrumb, which is only the
dashboard ("首页") unless the view adds itself; every plain screen would say 首页 on top.
"""

from __future__ import annotations

from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin


class TitledAdminTemplateMixin(WagtailAdminTemplateMixin):
    """``WagtailAdminTemplateMixin`` whose header names the screen (``page_title``)."""

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]
