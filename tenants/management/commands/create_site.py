import getpass

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from tenants.models import SiteKind
from tenants.provisioning import SiteSpec, format_errors, provision_site


class Command(BaseCommand):
    help = "创建一个站点（从模板克隆，通常不到一秒）。"

    def add_arguments(self, parser):
        parser.add_argument("slug", help="站点代号，如 qingshan-county")
        parser.add_argument("--name", required=True, help="站点名称")
        parser.add_argument("--kind", required=True, choices=[k for k in SiteKind.values if k != SiteKind.PLATFORM])
        parser.add_argument("--parent", default="", help="上级站点代号")
        parser.add_argument("--domain", default="", help="主域名（默认 <代号>.localhost）")
        parser.add_argument("--alias", action="append", default=[], help="别名域名，可多次给出")
        parser.add_argument("--theme", default="default")
        parser.add_argument("--site-code", default="")
        parser.add_argument("--icp", default="")
        parser.add_argument("--police", default="")
        parser.add_argument("--organiser", default="")
        parser.add_argument("--method", choices=["template", "migrate"], default="template")

    def handle(self, *args, **o):
        spec = SiteSpec(
            name=o["name"],
            slug=o["slug"],
            kind=o["kind"],
            parent_slug=o["parent"],
            domain=o["domain"],
            aliases=o["alias"],
            theme=o["theme"],
            site_code=o["site_code"],
            icp_number=o["icp"],
            police_number=o["police"],
            organiser=o["organiser"],
        )
        try:
            result = provision_site(spec, method=o["method"], by=f"cli:{getpass.getuser()}")
        except ValidationError as exc:
            raise CommandError(format_errors(exc)) from None
        site = result.site
        self.stdout.write(
            f"已创建站点“{site.name}”：http://{site.primary_domain}/ （{result.method}，{result.seconds:.2f} 秒）"
        )
        for warning in site.site_code_warnings():
            self.stderr.write(f"提醒：{warning}")
