from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from tenants.closure.cli import cli_actor, command_error, find_closure
from tenants.closure.fetchers import HttpFetcher
from tenants.closure.models import VerifyState
from tenants.closure.verify import VERIFIABLE, accept_exception, verify

SHOWN_FAILURES = 50


class Command(BaseCommand):
    help = "验证关停站点的每个旧地址（每个域名）是否跳转到新站点的对应页面；可查看验证报告、逐条接受例外。"

    def add_arguments(self, parser):
        parser.add_argument("site", help="关停站点的代号")
        parser.add_argument("--base-url", help="通过真实 HTTP 验证，如 http://127.0.0.1:8000（默认进程内验证）")
        parser.add_argument("--workers", type=int, default=4, help="通过真实 HTTP 验证时的并发数（默认 4）")
        parser.add_argument("--show", action="store_true", help="只显示上次的验证报告")
        parser.add_argument("--accept", metavar="PATH", help="接受一个未通过的旧地址为例外（需 --reason）")
        parser.add_argument("--reason", default="", help="接受例外的原因")

    def handle(self, *args, site, base_url=None, workers=4, show=False, accept=None, reason="", **options):
        if workers < 1:
            raise CommandError("并发数须为正整数。")
        closure = find_closure(site, VERIFIABLE)
        try:
            if show:
                return self.show(closure.verify_report)
            if accept:
                url = closure.urls.filter(path=accept).first()
                if url is None:
                    raise CommandError(f"该关停任务中没有旧地址“{accept}”。")
                accept_exception(url, by=cli_actor(), reason=reason)
                closure.refresh_from_db()
                self.stdout.write(f"已接受例外：{accept}。关停任务状态：{closure.get_status_display()}。")
                return
            fetcher = HttpFetcher(base_url) if base_url else None
            with tqdm(total=closure.urls.count(), desc="验证旧地址", unit="个", file=self.stderr) as bar:
                report = verify(
                    closure, by=cli_actor(), fetch=fetcher, workers=workers, progress=lambda *_: bar.update(1)
                )
        except ValidationError as exc:
            raise command_error(exc) from None
        self.show(report)
        closure.refresh_from_db()
        self.stdout.write(f"关停任务状态：{closure.get_status_display()}。")
        left = closure.urls.filter(verify_state=VerifyState.FAILED).count()
        if left:
            raise CommandError(f"{left} 个地址未通过验证；逐条核实后可用 --accept 旧地址 --reason 原因 接受例外。")

    def show(self, report: dict) -> None:
        if not report:
            self.stdout.write("尚未验证。")
            return
        self.stdout.write(
            f"验证于 {report['finished_at']}（{report['by']}，{report['seconds']} 秒，{report['requests']} 次请求，"
            f"域名：{'、'.join(report['hosts'])}）：共 {report['total']} 个地址，通过 {report['passed']}，"
            f"未通过 {report['failed']}，已接受例外 {report['accepted']}。"
        )
        for failure in report["failures"][:SHOWN_FAILURES]:
            self.stdout.write(f"✗ {failure['path']}：{failure['detail']}")
        if len(report["failures"]) > SHOWN_FAILURES:
            self.stdout.write(f"……另有 {len(report['failures']) - SHOWN_FAILURES} 个未列出。")
