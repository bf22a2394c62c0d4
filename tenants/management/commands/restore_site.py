from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from tenants.backup.bundle import BackupError
from tenants.backup.progress import Bars
from tenants.backup.restore import restore_site


class Command(BaseCommand):
    help = "从备份文件恢复一个站点（本平台或另一个平台）；不影响其他站点。"

    def add_arguments(self, parser):
        parser.add_argument("file", help="backup_site 生成的备份文件")
        parser.add_argument("--slug", default="", help="恢复为这个站点代号（默认用备份中的代号）")
        parser.add_argument("--domain", action="append", default=[], help="域名（第一个为主域名），可多次给出")
        parser.add_argument("--parent", default="", help="上级站点代号（默认用备份中的上级站点，若本平台有）")
        parser.add_argument("--replace", action="store_true", help="站点代号已存在时，用备份覆盖该站点")

    def handle(self, *args, file: str, slug: str, domain: list[str], parent: str, replace: bool, **options):
        bars = Bars(self.stderr)
        try:
            result = restore_site(
                Path(file), slug=slug, domains=domain or None, parent=parent, replace=replace, by="cli", progress=bars
            )
        except BackupError as exc:
            raise CommandError(f"未恢复：{exc}") from exc
        except (ValidationError, DatabaseError, OSError, ValueError, KeyError) as exc:
            raise CommandError(f"恢复失败，已撤销，未做任何更改：{exc}") from exc
        finally:
            bars.close()
        for note in result.notes:
            self.stdout.write(note)
        self.stdout.write(
            f"已恢复站点 {result.site.slug}（{', '.join(result.domains)}）：{result.files} 个文件，"
            f"新建资源 {result.resources_created} 条、关联已有资源 {result.resources_linked} 条，"
            f"新建账号 {result.accounts_created} 个，角色 {result.roles} 个。"
        )
