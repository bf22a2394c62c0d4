"""``manage.py inspect_sites [--site SLUG]``: inspect now (the scheduler does the same on its own)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from inspection.services import inspect_sites, inspectable_sites


class Command(BaseCommand):
    help = "按国家政府网站检查指标普查站点（首页可用性、更新、栏目、互动回应、页脚标识、链接）"

    def add_arguments(self, parser):
        parser.add_argument("--site", help="只检查这个站点（站点标识 slug）")

    def handle(self, *args, **options):
        sites = inspectable_sites()
        if options["site"]:
            sites = sites.filter(slug=options["site"])
            if not sites.exists():
                raise CommandError(f"没有运行中的站点“{options['site']}”。")
        sites = list(sites)
        with tqdm(total=len(sites), desc="网站普查", unit="站") as bar:
            runs = inspect_sites(sites, progress=lambda _site: bar.update(1))
        for run in runs:
            failing = "、".join(run.failing) or "—"
            self.stdout.write(f"{run.site.slug}\t{run.get_verdict_display()}\t{run.score}\t{failing}")
