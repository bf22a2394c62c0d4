from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from tenants.closure.archive import archive, restore
from tenants.closure.cli import cli_actor, command_error, find_closure
from tenants.closure.models import ClosureStatus


class Command(BaseCommand):
    help = "归档已完成关停的站点（导出其数据到存储并删除其数据库模式）；或用 --restore 将归档恢复为新站点。"

    def add_arguments(self, parser):
        parser.add_argument("site", help="关停站点的代号")
        parser.add_argument("--force-reason", default="", help="保留期未满时提前归档的原因（会记录在审计日志中）")
        parser.add_argument("--restore", action="store_true", help="把该站点的归档恢复为一个新站点")
        parser.add_argument("--slug", default="", help="恢复出的新站点代号（与 --restore 一起使用）")

    def handle(self, *args, site, force_reason="", restore=False, slug="", **options):
        try:
            if restore:
                return self.restore_site(site, slug)
            closure = find_closure(site, [ClosureStatus.COMPLETED])
            closure = archive(closure, by=cli_actor(), force_reason=force_reason)
        except ValidationError as exc:
            raise command_error(exc) from None
        self.stdout.write(
            f"已归档：{closure.site.name}，归档文件 {closure.archive_key}（{closure.archive_bytes} 字节），"
            f"数据库模式 {closure.site.schema_name} 已删除；原地址的跳转继续有效。"
        )

    def restore_site(self, site: str, slug: str) -> None:
        if not slug:
            raise CommandError("请用 --slug 指定恢复出的新站点代号。")
        closure = find_closure(site, [ClosureStatus.ARCHIVED])
        new_site = restore(closure, by=cli_actor(), slug=slug)
        self.stdout.write(f"已恢复为新站点：{new_site.name}（{new_site.slug}） http://{new_site.primary_domain}/")
