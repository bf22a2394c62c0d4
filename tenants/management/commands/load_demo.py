from django.core.management.base import BaseCommand

from tenants.demo.loader import load_demo


class Command(BaseCommand):
    help = "创建演示站群（市、县、部门、乡镇站点）并填充演示文章（可重复运行）。"

    def handle(self, *args, **options):
        sites = load_demo(log=self.stdout.write)
        self.stdout.write(f"演示站群共 {len(sites)} 个站点（网址见 demo_logins）。")
