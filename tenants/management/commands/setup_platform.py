from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from tenants.platform_setup import SiteMigrationFailed, setup_platform


class Command(BaseCommand):
    help = "迁移数据库、创建平台站点、构建站点模板并补足预建站点池（可重复运行）。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--pool", type=int, default=settings.ZQ_POOL_SIZE, help="预建站点池大小（默认 ZQ_POOL_SIZE=5）"
        )
        parser.add_argument(
            "--verify", action="store_true", help="忽略已记录的迁移状态，对每个站点执行迁移（有人手工改过数据表时）"
        )

        parser.add_argument(
            "--processes",
            type=int,
            default=None,
            help="同时迁移站点的进程数（默认 ZQ_MIGRATE_PROCESSES；1 为逐个迁移）",
        )

    def handle(self, *args, pool: int, verify: bool, processes: int | None, **options):
        try:
            setup_platform(pool, log=self.stdout.write, verify=verify, processes=processes)
        except SiteMigrationFailed as exc:
            raise CommandError(str(exc)) from exc
