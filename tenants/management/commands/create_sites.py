import getpass
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from tenants.bulk import create_sites, read_specs


class Command(BaseCommand):
    help = "从 CSV 文件批量创建站点（显示进度条；出错的行单独报告，不影响其他行）。"

    def add_arguments(self, parser):
        parser.add_argument("csv_path", type=Path)
        parser.add_argument(
            "--pool",
            type=int,
            default=settings.ZQ_POOL_SIZE,
            help="运行期间在后台保持的预建站点数（默认 ZQ_POOL_SIZE；0 表示不补充）",
        )

    def handle(self, *args, csv_path: Path, pool: int, **options):
        if not csv_path.exists():
            raise CommandError(f"找不到文件：{csv_path}")
        try:
            rows = read_specs(csv_path)
        except (ValueError, UnicodeDecodeError) as exc:
            raise CommandError(str(exc)) from None
        with tqdm(total=len(rows), desc="创建站点", unit="个", file=self.stderr) as bar:
            created, errors = create_sites(
                rows, on_row=lambda: bar.update(1), by=f"cli:{getpass.getuser()}", pool_size=pool
            )
        for result in created:
            self.stdout.write(f"✓ {result.site.name}  http://{result.site.primary_domain}/  {result.seconds:.2f}s")
        for error in errors:
            self.stderr.write(f"✗ 第 {error.line} 行（{error.slug or '无代号'}）：{error.message}")
        if created:
            mean = sum(r.seconds for r in created) / len(created)
            claimed = sum(r.method == "pool" for r in created)
            self.stdout.write(
                f"共创建 {len(created)} 个站点，平均每个 {mean:.2f} 秒（{claimed} 个取自预建池，"
                f"{len(created) - claimed} 个回放模板）；失败 {len(errors)} 行。"
            )
        if errors:
            raise CommandError(f"{len(errors)} 行未能创建，见上方说明。")
