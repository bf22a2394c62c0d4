from django.core.management.base import BaseCommand

from tenants.media_names import repair_stored_names


class Command(BaseCommand):
    help = "修复旧版本本地存储写入数据库的重复前缀文件名（图片、渲染图、文档、资源库附件）；可重复运行。"

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="只统计需要修复的文件名，不修改")

    def handle(self, *args, dry_run: bool, **options):
        repaired = repair_stored_names(dry_run=dry_run)
        verb = "需修复" if dry_run else "已修复"
        for where, count in repaired.items():
            self.stdout.write(f"{where}：{verb} {count} 个文件名")
        self.stdout.write(f"共{verb} {sum(repaired.values())} 个文件名。")
