"""The 网站地图 page's content: the site's column tree (one query) and the fixed sections every site
has (their URLs are fixed across the cluster: see the public URL confs)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.http import HttpRequest
from wagtail.models import Page
from wagtail.models import Site as WagtailSite

from tenants.content.models import ColumnPage, LibraryListPage

# Deeper columns are listed on their parent column's page, not on the map.
MAX_DEPTH_BELOW_HOME = 3

FIXED_SECTIONS: tuple[tuple[str, str, tuple[tuple[str, str], ...]], ...] = (
    ("政府信息公开", "/xxgk/", (("政府信息公开目录", "/xxgk/"), ("依申请公开", "/ysqgk/"))),
    ("政务服务", "/banshi/", (("办事服务", "/banshi/"),)),
    (
        "互动交流",
        "/hudong/",
        (("互动交流", "/hudong/"), ("回复查询", "/hudong/chaxun/"), ("我为政府网站找错", "/hudong/zhaocuo/")),
    ),
)


@dataclass
class Node:
    title: str
    url: str
    children: list[Node] = field(default_factory=list)


def column_tree(request: HttpRequest) -> list[Node]:
    """Live, public columns and library lists under the home page, nested, in tree order."""
    wagtail_site = WagtailSite.find_for_request(request)
    if wagtail_site is None:
        return []
    root = wagtail_site.root_page
    pages = (
        Page.objects.live()
        .public()
        .descendant_of(root)
        .type(ColumnPage, LibraryListPage)
        .filter(depth__lte=root.depth + MAX_DEPTH_BELOW_HOME)
        .only("title", "url_path", "depth", "path")
        .order_by("path")
    )
    top: list[Node] = []
    by_path: dict[str, Node] = {}
    for page in pages:
        node = Node(page.title, "/" + page.url_path[len(root.url_path) :])
        parent = by_path.get(page.path[: -Page.steplen])
        if parent is not None:
            parent.children.append(node)
        elif page.depth == root.depth + 1:
            top.append(node)
        by_path[page.path] = node
    return top
