"""``manage.py reindex [--site SLUG ... | --all | --library]``: rebuild the search index with a progress
bar (after a dictionary change, a restore, or to repair). Safe to run while sites serve: rows are
replaced site by site."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from sitesearch import indexing
from sitesearch.documents import SERVING
from tenants.models import Site


class Command(BaseCommand):
    help = "重建站内搜索索引：指定站点、全部站点或资源库。"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--site", action="append", default=[], metavar="SLUG", help="站点代号（可重复）")
        parser.add_argument("--all", action="store_true", help="全部站点和资源库")
        parser.add_argument("--library", action="store_true", help="资源库")

    def handle(self, *args, site: list[str], all: bool, library: bool, **options) -> None:  # noqa: A002
        if not (site or all or library):
            raise CommandError("请指定 --site 站点代号、--all 或 --library。")
        sites = Site.objects.exclude(kind="platform")
        if not all:
            sites = sites.filter(slug__in=site)
            missing = set(site) - set(sites.values_list("slug", flat=True))
            if missing:
                raise CommandError(f"没有这些站点：{', '.join(sorted(missing))}")
        for each in sites.order_by("pk") if (all or site) else []:
            if each.status not in SERVING:
                indexing.remove_site(each.schema_name)
                self.stdout.write(f"{each.name}：{each.get_status_display()}，已移出索引")
                continue
            with tqdm(total=indexing.page_count(each.schema_name), desc=each.slug, unit="页", disable=None) as bar:
                done = indexing.reindex_site(each.schema_name, progress=bar.update)
            self.stdout.write(f"{each.name}：已索引 {done} 个页面")
        if all or library:
            total = indexing.resource_total()
            with tqdm(total=total, desc="资源库", unit="条", disable=None) as bar:
                indexing.reindex_library(progress=bar.update)
            self.stdout.write(f"资源库：已处理 {total} 条资源")
