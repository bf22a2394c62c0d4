"""``manage.py inspect_sites [--site SLUG] [--external-links]``: inspect now (the scheduler does the
same on its own); ``--external-links`` first runs the external links' pass (normally daily) for them."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from inspection import external
from inspection.services import inspect_sites, inspectable_sites


class Command(BaseCommand):
    help = "按国家政府网站检查指标普查站点（首页可用性、更新、栏目、互动回应、办事服务、页脚标识、链接）"

    def add_arguments(self, parser):
        parser.add_argument("--site", help="只检查这个站点（站点标识 slug）")
        parser.add_argument("--external-links", action="store_true", help="先检查这些站点的外部链接（平时每天一次）")

    def handle(self, *args, **options):
        sites = inspectable_sites()
        if options["site"]:
            sites = sites.filter(slug=options["site"])
            if not sites.exists():
                raise CommandError(f"没有运行中的站点“{options['site']}”。")
        sites = list(sites)
        if options["external_links"]:
            with tqdm(desc="外部链接", unit="个") as bar:
                summary = external.refresh(sites, progress=bar.update)
            self.stdout.write(str(summary))
        with tqdm(total=len(sites), desc="网站普查", unit="站") as bar:
            runs = inspect_sites(sites, progress=lambda _site: bar.update(1))
        for run in runs:
            failing = "、".join(run.failing) or "—"
            self.stdout.write(f"{run.site.slug}\t{run.get_verdict_display()}\t{run.score}\t{failing}")
