from django.core.management.base import BaseCommand, CommandError

from tenants.closure import bench


class Command(BaseCommand):
    help = (
        "测量关停上移的性能：(a) 跳转表对普通站点请求速度的影响（0 行与 N 行对比）及关停站点的跳转速度；"
        "(b) 生成一个站点并关停到其上级站点，逐步计时后回滚。测量用站点最后全部删除。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--requests", type=int, default=2000, help="每项测量的请求数")
        parser.add_argument("--rows", type=int, default=100_000, help="跳转表行数")
        parser.add_argument("--pages", type=int, default=1000)
        parser.add_argument("--documents", type=int, default=500)
        parser.add_argument("--images", type=int, default=500)
        parser.add_argument("--only", choices=["redirects", "closure"], help="只运行其中一项")

    def handle(self, *args, requests, rows, pages, documents, images, only=None, **options):
        if min(requests, rows, pages) < 1 or min(documents, images) < 0:
            raise CommandError("请求数、行数和页数须为正整数，文档和图片数不能为负。")
        if only != "closure":
            self.stdout.write(f"(a) 跳转表的影响（进程内 WSGI，每项 {requests} 次请求）")
            for rate in bench.redirect_table_cost(requests, rows, self.stdout.write):
                codes = "、".join(f"{code}×{count}" for code, count in sorted(rate.statuses.items()))
                self.stdout.write(f"  {rate.label}：{rate.per_second:8.1f} 次/秒（{rate.seconds:.2f}s；{codes}）")
                if any(code >= 500 for code in rate.statuses):
                    self.stderr.write("  注意：出现 5xx 响应，这一项的速度不可比（例如生产配置未运行 collectstatic）。")
        if only != "redirects":
            self.stdout.write(f"(b) 关停一个 {pages} 页、{documents} 个文档、{images} 张图片的站点")
            try:
                timings = bench.close_generated_site(
                    pages=pages, documents=documents, images=images, log=lambda m: self.stderr.write(f"  {m}")
                )
            except LookupError as exc:
                raise CommandError(f"无法运行 (b)：{exc}") from None
            for step, seconds, note in timings:
                self.stdout.write(f"  {step:<12}{seconds:8.2f}s  {note}")
