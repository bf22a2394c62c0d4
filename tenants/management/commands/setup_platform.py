from django.conf import settings
from django.core.management.base import BaseCommand

from tenants.platform_setup import setup_platform


class Command(BaseCommand):
    help = "迁移数据库、创建平台站点、构建站点模板并补足预建站点池（可重复运行）。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--pool", type=int, default=settings.ZQ_POOL_SIZE, help="预建站点池大小（默认 ZQ_POOL_SIZE=5）"
        )
        parser.add_argument(
            "--verify", action="store_true", help="忽略已记录的迁移状态，对每个站点执行迁移（有人手工改过数据表时）"
        )

    def handle(self, *args, pool: int, verify: bool, **options):
        setup_platform(pool, log=self.stdout.write, verify=verify)
