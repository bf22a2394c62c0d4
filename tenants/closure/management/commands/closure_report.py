from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tenants.closure.report import csv_bytes, report_rows, xlsx_bytes


class Command(BaseCommand):
    help = "导出已关停网站的永久下线报备表（CSV 与/或 XLSX）。"

    def add_arguments(self, parser):
        parser.add_argument("--csv", type=Path, help="CSV 文件路径（UTF-8 带 BOM，Excel 可直接打开）")
        parser.add_argument("--xlsx", type=Path, help="XLSX 文件路径")

    def handle(self, *args, csv=None, xlsx=None, **options):
        if not csv and not xlsx:
            raise CommandError("请至少指定 --csv 或 --xlsx 之一。")
        for path in (csv, xlsx):
            if path and not path.parent.is_dir():
                raise CommandError(f"目录不存在：{path.parent}")
        rows = report_rows()
        try:
            if csv:
                csv.write_bytes(csv_bytes(rows))
            if xlsx:
                xlsx.write_bytes(xlsx_bytes(rows))
        except OSError as exc:
            raise CommandError(f"无法写入文件：{exc}") from None
        written = "、".join(str(p) for p in (csv, xlsx) if p)
        self.stdout.write(f"已导出 {len(rows)} 个已关停网站的下线报备：{written}")
