from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tenants.backup.export import export_site
from tenants.backup.progress import Bars
from tenants.models import Site


class Command(BaseCommand):
    help = "把一个站点（数据库、文件、资源库贡献、人员与角色）导出为一个备份文件。"

    def add_arguments(self, parser):
        parser.add_argument("slug", help="站点代号")
        parser.add_argument("--out", required=True, help="备份文件路径（如 qingshan.zqbackup）")

    def handle(self, *args, slug: str, out: str, **options):
        site = Site.objects.filter(slug=(slug or "").strip().lower()).first()
        if site is None or site.schema_name == "public":
            raise CommandError(f"站点“{slug}”不存在。")
        path = Path(out)
        if path.exists():
            raise CommandError(f"文件“{path}”已存在，请换一个路径（不会覆盖已有备份）。")
        if not path.parent.is_dir():
            raise CommandError(f"目录“{path.parent}”不存在。")
        bars = Bars(self.stderr)
        try:
            manifest = export_site(site, path, by="cli", progress=bars)
        except (RuntimeError, OSError) as exc:
            raise CommandError(f"备份失败，未生成备份文件：{exc}") from exc
        finally:
            bars.close()
        counts = manifest["counts"]
        self.stdout.write(
            f"已备份站点 {site.slug} 到 {path}（{path.stat().st_size} 字节）：{counts['files']} 个文件，"
            f"{counts['resources']} 条资源库条目，{counts['library_files']} 个资源库附件，{counts['roles']} 个角色。"
        )
