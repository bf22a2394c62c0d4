from django.conf import settings
from django.core.management.base import BaseCommand

from tenants.demo.loader import DEMO_SITES
from tenants.models import Site


class Command(BaseCommand):
    help = "打印演示站群的网址和管理后台登录信息。"

    def add_arguments(self, parser):
        parser.add_argument("--port", default="8000")

    def handle(self, *args, port: str, **options):
        suffix = "" if port in ("80", "") else f":{port}"
        self.stdout.write("\n演示站群已就绪：")
        self.stdout.write(f"  平台控制台          http://{settings.PLATFORM_DOMAIN}{suffix}/admin/")
        for spec in DEMO_SITES:
            site = Site.objects.filter(slug=spec.slug).first()
            if site:
                self.stdout.write(f"  {site.name:<14s} http://{site.primary_domain}{suffix}/   后台 /admin/")
        from tenants.demo.people import describe_logins

        self.stdout.write("\n管理后台登录（统一身份，一个账号一个密码）：")
        for line in describe_logins():
            self.stdout.write(f"  {line}")
