"""``manage.py close_site X plan|notice|execute|rollback|status``: close site X into P (关停上移).

A thin shell over ``tenants.closure``: every rule and every message comes from the services, which
the console uses too. Bad input ends with a CommandError in Chinese, never a traceback.
"""

from __future__ import annotations

import getpass

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError
from tqdm import tqdm

from tenants.closure.addresses import section_url
from tenants.closure.execute import STEPS, execute
from tenants.closure.models import Closure, ClosureStatus
from tenants.closure.notice import start_notice
from tenants.closure.plan import open_closure, plan_closure, write_csv
from tenants.closure.rollback import rollback
from tenants.models import Site


def parse_maps(values: list[str]) -> dict[str, str]:
    """``["news=section", "notices=column:notices"]`` -> ``{"news": "section", "notices": "column:notices"}``."""
    result = {}
    for value in values:
        slug, sep, target = value.partition("=")
        if not sep or not slug.strip() or not target.strip():
            raise CommandError(
                f"栏目映射“{value}”格式不对，应为 栏目代号=section 或 栏目代号=column:迁入站点栏目代号。"
            )
        result[slug.strip()] = target.strip()
    return result


def messages(exc: ValidationError) -> str:
    if hasattr(exc, "message_dict"):
        return "；".join(" ".join(items) for items in exc.message_dict.values())
    return "；".join(exc.messages)


class Command(BaseCommand):
    help = (
        "关停站点并整体上移到上级站点（关停上移）："
        "plan 规划、notice 发布公告、execute 执行迁移、rollback 回滚、status 查看状态。"
    )

    def add_arguments(self, parser):
        parser.add_argument("site", help="要关停的站点代号")
        steps = parser.add_subparsers(dest="step", required=True, metavar="步骤")
        plan = steps.add_parser("plan", help="规划：清点站点内容，生成新旧地址对照（不改动任何站点）")
        plan.add_argument("--into", default="", help="迁入站点代号（默认为上级站点）")
        plan.add_argument(
            "--map", action="append", default=[], help="栏目映射，如 news=section 或 notices=column:notices，可多次给出"
        )
        plan.add_argument("--section-slug", default="", help="迁入栏目代号（默认为关停站点的代号）")
        plan.add_argument("--section-title", default="", help="迁入栏目名称（默认为关停站点的名称）")
        plan.add_argument("--csv", default="", help="把新旧地址对照表写入此 CSV 文件")
        notice = steps.add_parser("notice", help="发布关停整合公告，进入公告期")
        notice.add_argument("--days", default="", help="公告期天数（默认按平台设置，通常 30 天）")
        notice.add_argument("--reason", default="", help="缩短公告期的原因（公告期少于默认天数时必填）")
        steps.add_parser("execute", help="执行迁移（中断后再次运行将从中断处继续）")
        back = steps.add_parser("rollback", help="回滚：撤销迁移，恢复原站点")
        back.add_argument("--reason", default="", help="回滚原因（必填）")
        steps.add_parser("status", help="查看关停任务状态")

    def handle(self, *args, **options):
        site = Site.objects.filter(slug=options["site"]).first()
        if site is None:
            raise CommandError(f"站点“{options['site']}”不存在。")
        by = f"cli:{getpass.getuser()}"
        handler = getattr(self, f"do_{options['step']}")
        try:
            handler(site, by, options)
        except ValidationError as exc:
            raise CommandError(messages(exc)) from None

    def _closure(self, site: Site, *, any_state: bool = False) -> Closure:
        closure = (
            Closure.objects.filter(site=site).exclude(status=ClosureStatus.ROLLED_BACK).first()
            if any_state
            else open_closure(site)
        )
        if closure is None:
            raise CommandError(f"站点“{site.name}”没有进行中的关停任务，请先运行 close_site {site.slug} plan。")
        return closure

    def do_plan(self, site: Site, by: str, options) -> None:
        target = None
        if options["into"]:
            target = Site.objects.filter(slug=options["into"]).first()
            if target is None:
                raise CommandError(f"迁入站点“{options['into']}”不存在。")
        closure = plan_closure(
            site,
            target,
            by=by,
            column_map=parse_maps(options["map"]) or None,
            section_slug=options["section_slug"] or None,
            section_title=options["section_title"] or None,
        )
        counts = closure.plan["counts"]
        self.stdout.write(
            f"已规划：{site.name} → {closure.target.name}，迁入栏目“{closure.section_title}”（{section_url(closure)}）"
        )
        self.stdout.write(
            f"页面 {counts['pages']} 个（已发布 {counts['live_pages']}），"
            f"图片 {counts['images']}，文档 {counts['documents']}，"
            f"资源库条目 {counts['library_items']}，报送资源 {counts['contributed_resources']}，"
            f"转载 {counts['syndications']}，角色 {counts['roles']}，域名 {counts['domains']}；"
            f"旧地址 {closure.urls.count()} 个。"
        )
        for column in closure.plan.get("columns", []):
            where = "迁入栏目" if column["mode"] == "section" else f"并入栏目 {column['target']}"
            self.stdout.write(f"  栏目“{column['title']}”（{column['slug']}）→ {where}（{column['new_slug']}）")
        for conflict in closure.plan.get("conflicts", []):
            self.stdout.write(("【需处理】" if conflict["blocking"] else "【提示】") + conflict["message"])
        if options["csv"]:
            try:
                with open(options["csv"], "w", encoding="utf-8", newline="") as stream:
                    rows = write_csv(closure, stream)
            except OSError as exc:
                raise CommandError(f"无法写入 CSV 文件“{options['csv']}”：{exc.strerror}") from None
            self.stdout.write(f"新旧地址对照表（{rows} 行）已写入 {options['csv']}")

    def do_notice(self, site: Site, by: str, options) -> None:
        days = None
        if options["days"] != "":
            try:
                days = int(options["days"])
            except ValueError:
                raise CommandError(f"公告期天数“{options['days']}”不是整数。") from None
        closure = start_notice(self._closure(site), by=by, notice_days=days, reason=options["reason"])
        self.stdout.write(
            f"已发布关停整合公告：公告期 {closure.notice_days} 天，计划关停日期 {closure.planned_date:%Y-%m-%d}，"
            f"新地址 {section_url(closure)}"
        )

    def do_execute(self, site: Site, by: str, options) -> None:
        closure = self._closure(site)
        bar = tqdm(total=0, unit="项", desc="准备", file=self.stderr._out, dynamic_ncols=True)

        def progress(done: int, total: int, step: str) -> None:
            bar.total = total
            bar.n = done
            bar.set_description(str(STEPS.get(step, step)))
            bar.refresh()

        try:
            closure = execute(closure, by=by, progress=progress)
        except ValidationError:
            raise
        except (DatabaseError, OSError) as exc:
            raise CommandError(
                f"迁移中断：{exc}。已完成的部分已保存，再次运行 close_site {site.slug} execute 将从中断处继续。"
            ) from None
        finally:
            bar.close()
        seconds = closure.plan.get("execute", {}).get("total_seconds", 0)
        self.stdout.write(f"迁移完成（{seconds:.1f} 秒）：{site.name} 已关停，旧地址跳转至 {section_url(closure)}")
        for warning in closure.plan.get("execute", {}).get("warnings", []):
            self.stdout.write(f"【提示】原站点缺少文件：{warning}")

    def do_rollback(self, site: Site, by: str, options) -> None:
        closure = rollback(self._closure(site, any_state=True), by=by, reason=options["reason"])
        self.stdout.write(f"已回滚：{site.name} 恢复运行，{closure.target.name} 中的迁移内容已删除。")

    def do_status(self, site: Site, by: str, options) -> None:
        closure = self._closure(site, any_state=True)
        self.stdout.write(f"{site.name} → {closure.target.name}：{closure.get_status_display()}")
        if closure.planned_date:
            self.stdout.write(f"计划关停日期：{closure.planned_date:%Y-%m-%d}（公告期 {closure.notice_days} 天）")
        if closure.shortened_reason:
            self.stdout.write(f"缩短公告期原因：{closure.shortened_reason}")
        if closure.step:
            label = STEPS.get(closure.step, closure.step)
            self.stdout.write(f"进度：{label} {closure.progress_done}/{closure.progress_total}（{closure.percent}%）")
        if closure.last_error:
            self.stdout.write(f"最近错误：{closure.last_error}")
        self.stdout.write(f"新地址：{section_url(closure)}；旧地址 {closure.urls.count()} 个")
        for conflict in closure.plan.get("conflicts", []):
            if conflict["blocking"]:
                self.stdout.write(f"【需处理】{conflict['message']}")
