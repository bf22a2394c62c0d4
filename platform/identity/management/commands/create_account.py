"""``manage.py create_account <username> [--operator]``: one person, one password for the cluster."""

from __future__ import annotations

import getpass

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from identity import services


class Command(BaseCommand):
    help = "创建统一身份账号（密码从 --password 或交互输入）。"

    def add_arguments(self, parser) -> None:
        parser.add_argument("username")
        parser.add_argument("--password", default="")
        parser.add_argument("--name", default="", help="姓名")
        parser.add_argument("--email", default="")
        parser.add_argument("--operator", action="store_true", help="平台运维人员")

    def handle(self, *args, **options) -> None:
        password = options["password"] or getpass.getpass("密码：")
        try:
            account = services.create_account(
                options["username"],
                password,
                display_name=options["name"],
                email=options["email"],
                is_operator=options["operator"],
                by="manage.py",
            )
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        self.stdout.write(f"已创建账号 {account.username}")
