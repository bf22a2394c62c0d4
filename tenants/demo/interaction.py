"""Demo data of 互动交流 and 办事指南 (the lead calls ``load_interaction_demo`` after ``load_demo``).

青山县: the county head's mailbox with the truck-parking letter answered and published (the seeds'
story), a pending and an overdue letter, a 依申请公开 request, a 找错 report, an open survey and a
closed one with results, and a complete service guide; 城关镇: a question transferred to the county.
Idempotent: a site that already has items is left alone.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.utils import timezone
from django_tenants.utils import schema_context
from interaction import deadlines, services, surveys
from interaction.models import Decision, Item, ItemKind, Mailbox

from tenants.content.models import ColumnPage
from tenants.models import Site
from tenants.services.models import ServiceGuidePage


class _DemoStaff:
    username = "demo"
    display_name = "县政府办公室"


def _letter(site: Site, box: str, subject: str, content: str, *, days_ago: int, **extra) -> Item:
    mailbox = Mailbox.objects.get(site=site, slug=box)
    fields = {"name": "市民", "phone": "13800000000", "subject": subject, "content": content, **extra}
    item = services.receive(site, ItemKind.LETTER, fields, mailbox=mailbox)
    item.received_at = timezone.now() - datetime.timedelta(days=days_ago)
    item.due_date = deadlines.due_date_for(item)
    item.save()
    return item


def load_interaction_demo(log: Callable[[str], None] = print) -> None:
    county = Site.objects.filter(slug="qingshan").first()
    town = Site.objects.filter(slug="qs-chengguan").first()
    if county is None or Item.objects.filter(site=county).exists():
        return
    staff = _DemoStaff()
    services.ensure_mailboxes(county)
    trucks = _letter(
        county,
        "leader",
        "人民路夜间大货车乱停放",
        "县长您好：人民路两侧每天晚上停满大货车，行人只能走机动车道，孩子上学很危险，希望管一管。",
        days_ago=12,
        may_publish=True,
    )
    services.answer(
        trucks,
        "您好！来信收悉。县交警大队、城管局已在人民路设置禁停标志，划定城郊货车停车场，并开展夜间巡查。"
        "目前人民路货车乱停现象已整治到位。感谢您对县政府工作的支持。",
        user=staff,
    )
    services.set_published(trucks, True, user=staff)
    _letter(county, "consult", "新生儿医保如何办理", "孩子刚出生，请问在哪里办理城乡居民医保？", days_ago=1)
    _letter(county, "complaint", "小区路灯长期不亮", "幸福小区东门路灯坏了两个月没人修。", days_ago=40)
    disclosure = services.receive(
        county,
        ItemKind.DISCLOSURE,
        {
            "name": "李四",
            "phone": "13900000000",
            "email": "lisi@example.com",
            "subject": "2025年城区道路改造工程预算",
            "content": "请提供2025年城区道路改造工程预算。",
            "delivery": "email",
        },
    )
    services.answer(disclosure, "您申请的信息已在附件中提供。", user=staff, decision=Decision.PUBLIC)
    services.receive(
        county,
        ItemKind.ERROR,
        {"name": "", "subject": "错别字", "content": "工作动态中“青山县”误写为“清山县”。", "page_url": "/news/"},
    )
    today = timezone.localdate()
    surveys.create(
        county,
        title="城区停车管理意见征集",
        description="为改善城区停车秩序，现公开征集意见。",
        kind="solicitation",
        starts_on=today - datetime.timedelta(days=3),
        ends_on=today + datetime.timedelta(days=27),
        questions_text="您是否支持夜间限停大货车：支持/不支持/无所谓\n其他建议",
    )
    closed = surveys.create(
        county,
        title="政务服务中心满意度调查",
        description="",
        kind="survey",
        starts_on=today - datetime.timedelta(days=60),
        ends_on=today + datetime.timedelta(days=1),
        questions_text="您对窗口服务是否满意：满意/基本满意/不满意",
    )
    question = closed.questions.get()
    for vote in ["满意"] * 7 + ["基本满意"] * 2 + ["不满意"]:
        surveys.answer(closed, {str(question.pk): vote})
    closed.ends_on = today - datetime.timedelta(days=1)
    closed.save(update_fields=["ends_on"])
    if town is not None:
        services.ensure_mailboxes(town)
        question = _letter(town, "consult", "县城公交线路调整", "能否增开城关镇到县医院的公交班次？", days_ago=2)
        services.transfer(question, county, user=staff, note="公交线路由县交通运输局负责")
    with schema_context(county.schema_name):
        column = ColumnPage.objects.filter(slug="service").first()
        if column is not None and not ServiceGuidePage.objects.exists():
            guide = ServiceGuidePage(
                title="城乡居民基本养老保险参保登记",
                slug="yanglao-canbao",
                live=False,
                item_name="城乡居民基本养老保险参保登记",
                legal_basis="<p>《国务院关于建立统一的城乡居民基本养老保险制度的意见》（国发〔2014〕8号）</p>",
                conditions="<p>年满16周岁（不含在校学生），非国家机关和事业单位工作人员及不属于职工基本养老保险制度覆盖范围的城乡居民。</p>",
                materials="<p>居民身份证或户口簿原件</p>",
                process="<p>申请—受理—审核—办结（即来即办）</p>",
                time_limit="即办",
                fees="不收费",
                location="青山县政务服务中心一楼社保窗口",
                phone="0123-4567890",
            )
            column.add_child(instance=guide)
            guide.save_revision().publish()
    log("互动交流演示数据：青山县信箱、依申请公开、找错、调查征集、办事指南")
