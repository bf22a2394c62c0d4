"""What a brand-new site looks like: its home page, standard columns and Wagtail site record.

Runs inside the new site's schema. The column list depends on the kind of site (a township site
has no policy-interpretation column of its own; its parent publishes those).
"""

from __future__ import annotations

from django.contrib.auth.models import Group
from wagtail.log_actions import LogContext
from wagtail.models import GroupPagePermission, Page
from wagtail.models import Site as WagtailSite

from tenants.content.models import ColumnKind, ColumnPage, HomePage

# (slug, title, kind) per site kind
COLUMNS: dict[str, list[tuple[str, str, str]]] = {
    "default": [
        ("news", "工作动态", ColumnKind.NEWS),
        ("notices", "通知公告", ColumnKind.NOTICES),
        ("policy", "政策文件", ColumnKind.POLICY),
        ("interpretation", "政策解读", ColumnKind.INTERPRETATION),
        ("service", "办事服务", ColumnKind.SERVICE),
        ("interaction", "互动交流", ColumnKind.INTERACTION),
    ],
    "township": [
        ("news", "工作动态", ColumnKind.NEWS),
        ("notices", "通知公告", ColumnKind.NOTICES),
        ("service", "便民服务", ColumnKind.SERVICE),
    ],
}

# Wagtail's migrations create two groups in every schema; we give them the cluster's role names.
# "Moderators" may publish (site editors); "Editors" may only draft and submit (submitters).
ROLE_GROUPS = {"Moderators": "站点编辑", "Editors": "信息报送员"}


def build_skeleton(*, site_name: str, hostname: str, kind: str) -> HomePage:
    # Wagtail logs page changes with the user of the active log context; started from an admin
    # request (the console), that user is a row of the platform's schema, not of this new one, and
    # the log entry would fail validation. The skeleton's log entries belong to nobody.
    with LogContext(user=None):
        return _build_skeleton(site_name=site_name, hostname=hostname, kind=kind)


def _build_skeleton(*, site_name: str, hostname: str, kind: str) -> HomePage:
    root = Page.get_first_root_node()
    # Wagtail's own migration leaves a "Welcome to your new Wagtail site!" page; replace it.
    for page in root.get_children():
        page.delete()
    home = root.add_child(instance=HomePage(title=site_name, slug="home"))
    for slug, title, column_kind in COLUMNS.get(kind, COLUMNS["default"]):
        home.add_child(instance=ColumnPage(title=title, slug=slug, kind=column_kind, show_in_menus=True))
    WagtailSite.objects.all().delete()
    WagtailSite.objects.create(hostname=hostname, port=80, root_page=home, is_default_site=True, site_name=site_name)
    for old, new in ROLE_GROUPS.items():
        Group.objects.filter(name=old).update(name=new)
    # Submitters get per-column groups (identity.services.grant_role); the broad group must not
    # keep Wagtail's root-level add/change rights, or adding someone to it by hand would let them
    # write in every column.
    GroupPagePermission.objects.filter(group__name=ROLE_GROUPS["Editors"]).delete()
    return home
