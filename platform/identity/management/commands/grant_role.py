"""``manage.py grant_role <username> <site-slug> editor|submitter [--columns news,notices] [--revoke]``."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from identity import services
from identity.models import Role
from tenants.models import Site


class Command(BaseCommand):
    help = "授予（或用 --revoke 撤销）某人在某站点的角色。"

    def add_arguments(self, parser) -> None:
        parser.add_argument("username")
        parser.add_argument("site", help="站点代号（slug）")
        parser.add_argument("role", nargs="?", choices=Role.values)
        parser.add_argument("--columns", default="", help="信息报送员的栏目代号，逗号分隔")
        parser.add_argument("--revoke", action="store_true")

    def handle(self, *args, **options) -> None:
        account = services.find_account(options["username"])
        if account is None:
            raise CommandError(f"账号 {options['username']} 不存在")
        site = Site.objects.filter(slug=options["site"]).first()
        if site is None:
            raise CommandError(f"站点 {options['site']} 不存在")
        try:
            if options["revoke"]:
                services.revoke_role(account, site, by="manage.py")
                self.stdout.write(f"已撤销 {account.username} 在 {site.name} 的角色")
                return
            if not options["role"]:
                raise CommandError("请指定角色 editor 或 submitter")
            columns = [c for c in options["columns"].split(",") if c.strip()]
            services.grant_role(account, site, options["role"], columns=columns, by="manage.py")
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        self.stdout.write(f"已授予 {account.username} 在 {site.name} 的角色 {options['role']}")
