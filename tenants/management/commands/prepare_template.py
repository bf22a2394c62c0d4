from django.core.management.base import BaseCommand
from tqdm import tqdm

from tenants.pool import fill_pool
from tenants.schema_template import ensure_template


class Command(BaseCommand):
    help = "构建（迁移变更后重建）站点模板，并把预建站点池补足到指定数量。"

    def add_arguments(self, parser):
        parser.add_argument("--pool", type=int, default=5, help="预建站点池大小（默认 5）")

    def handle(self, *args, pool: int, **options):
        template = ensure_template(log=self.stdout.write)
        with tqdm(total=pool, desc="预建站点池", unit="个", file=self.stderr) as bar:
            made = fill_pool(template, pool, progress=lambda _n: bar.update(1))
        self.stdout.write(f"模板 {template.state_hash[:12]}：新增 {made} 个预建站点。")
