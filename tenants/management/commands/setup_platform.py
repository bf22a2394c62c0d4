from django.core.management.base import BaseCommand

from tenants.platform_setup import setup_platform


class Command(BaseCommand):
    help = "迁移数据库、创建平台站点、构建站点模板并补足预建站点池（可重复运行）。"

    def add_arguments(self, parser):
        parser.add_argument("--pool", type=int, default=5, help="预建站点池大小（默认 5）")

    def handle(self, *args, pool: int, **options):
        setup_platform(pool, log=self.stdout.write)
