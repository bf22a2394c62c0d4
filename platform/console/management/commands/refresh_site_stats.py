from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from console.stats import refresh_all, sites_with_schemas
from tenants.models import Site


class Command(BaseCommand):
    help = "重新统计各站点的页面数、最近更新时间和待审核数（控制台站点列表和概况页读取这些数字）。"

    def add_arguments(self, parser):
        parser.add_argument("slugs", nargs="*", help="只统计这些站点（代号）；默认全部")

    def handle(self, *args, slugs: list[str], **options):
        sites = list(sites_with_schemas())
        if slugs:
            unknown = set(slugs) - set(Site.objects.filter(slug__in=slugs).values_list("slug", flat=True))
            if unknown:
                raise CommandError(f"没有这些站点：{', '.join(sorted(unknown))}")
            sites = [site for site in sites if site.slug in slugs]
        with tqdm(total=len(sites), desc="统计站点", unit="个", file=self.stderr) as bar:
            count = refresh_all(sites, on_site=lambda site: bar.update(1))
        self.stdout.write(f"已统计 {count} 个站点。")
