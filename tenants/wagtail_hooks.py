"""The site admin's identity panel: the dashboard lists the footer identity the site still lacks."""

from __future__ import annotations

from wagtail import hooks
from wagtail.admin.ui.components import Component

from tenants.footer_identity import IdentityField
from tenants.web.admin_flags import WHO_FIXES, flagged_fields


class IdentityPanel(Component):
    name = "footer_identity"
    order = 50
    template_name = "web/identity_panel.html"

    def __init__(self, missing: list[IdentityField]):
        self.missing = missing

    def get_context_data(self, parent_context=None):
        return {"missing": self.missing, "who_fixes": WHO_FIXES}


@hooks.register("construct_homepage_panels")
def identity_panel(request, panels) -> None:
    missing = flagged_fields(request)
    if missing:
        panels.insert(0, IdentityPanel(missing))
