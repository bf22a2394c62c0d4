"""The two national forms row by row (国办函〔2018〕12号, 附件1 and 附件2), the one place their layout lives:
the edit form, the public table, the XLSX and the PDF are all drawn from these rows.

Every row is editable. ``auto`` rows are filled from the platform's own data (``annualreports.filling``);
the others only a person can know (visits, new-media accounts, who signed the form).
"""

from __future__ import annotations

from dataclasses import dataclass

INT, DECIMAL, BOOL, TEXT = "int", "decimal", "bool", "text"


@dataclass(frozen=True)
class Row:
    key: str
    label: str  # the form's own wording, unit included
    kind: str = INT
    auto: bool = False
    group: str = ""  # a sub-heading inside a section (e.g. 留言办理), merged across its rows in the XLSX


@dataclass(frozen=True)
class Section:
    title: str
    rows: tuple[Row, ...]


SITE_TITLE = "政府网站工作年度报表"
OPERATOR_TITLE = "政府网站监管年度报表"

SITE_FORM: tuple[Section, ...] = (
    Section(
        "基本信息",
        (
            Row("site_name", "网站名称", TEXT, auto=True),
            Row("home_url", "首页网址", TEXT, auto=True),
            Row("organiser", "主办单位", TEXT, auto=True),
            Row("site_type", "网站类型", TEXT, auto=True),
            Row("site_code", "政府网站标识码", TEXT, auto=True),
            Row("icp_number", "ICP备案号", TEXT, auto=True),
            Row("police_number", "公安机关备案号", TEXT, auto=True),
            Row("visitors", "独立用户访问总量（单位：个）"),
            Row("visits", "网站总访问量（单位：次）"),
        ),
    ),
    Section(
        "信息发布（单位：条）",
        (
            Row("info_total", "总数", auto=True),
            Row("info_overview", "概况类信息更新量", auto=True),
            Row("info_news", "政务动态信息更新量", auto=True),
            Row("info_disclosure", "信息公开目录信息更新量", auto=True),
        ),
    ),
    Section(
        "专栏专题（单位：个）",
        (
            Row("topics_maintained", "维护数量", auto=True),
            Row("topics_new", "新开设数量", auto=True),
        ),
    ),
    Section(
        "解读回应",
        (
            Row("interpretation_total", "总数（单位：条）", auto=True, group="解读信息发布"),
            Row("interpretation_materials", "解读材料数量（单位：条）", auto=True, group="解读信息发布"),
            Row("interpretation_products", "解读产品数量（单位：个）", group="解读信息发布"),
            Row("media_articles", "媒体评论文章数量（单位：篇）", group="解读信息发布"),
            Row("responses", "回应公众关注热点或重大舆情数量（单位：次）"),
        ),
    ),
    Section(
        "办事服务",
        (
            Row("service_catalogue", "是否发布服务事项目录", BOOL, auto=True),
            Row("registered_users", "注册用户数（单位：个）"),
            Row("service_items", "政务服务事项数量（单位：项）", auto=True),
            Row("online_items", "可全程在线办理政务服务事项数量（单位：项）", auto=True),
            Row("cases_total", "总数（单位：件）", group="办件量"),
            Row("cases_person", "自然人办件量（单位：件）", group="办件量"),
            Row("cases_legal", "法人办件量（单位：件）", group="办件量"),
        ),
    ),
    Section(
        "互动交流",
        (
            Row("unified_platform", "是否使用统一平台", BOOL, auto=True),
            Row("messages_received", "收到留言数量（单位：条）", auto=True, group="留言办理"),
            Row("messages_answered", "办结留言数量（单位：条）", auto=True, group="留言办理"),
            Row("messages_avg_days", "平均办理时间（单位：天）", DECIMAL, auto=True, group="留言办理"),
            Row("messages_published", "公开答复数量（单位：条）", auto=True, group="留言办理"),
            Row("surveys", "征集调查期数（单位：期）", auto=True, group="征集调查"),
            Row("survey_opinions", "收到意见数量（单位：条）", auto=True, group="征集调查"),
            Row("survey_results", "公布调查结果期数（单位：期）", auto=True, group="征集调查"),
            Row("interviews", "访谈期数（单位：期）", group="在线访谈"),
            Row("interview_messages", "网民留言数量（单位：条）", group="在线访谈"),
            Row("interview_answers", "答复网民提问数量（单位：条）", group="在线访谈"),
            Row("smart_qa", "是否提供智能问答功能", BOOL),
        ),
    ),
    Section(
        "安全防护",
        (
            Row("security_checks", "安全检测评估次数（单位：次）", auto=True),
            Row("security_issues", "发现问题数量（单位：个）", auto=True),
            Row("security_fixed", "问题整改数量（单位：个）", auto=True),
            Row("security_monitoring", "是否建立安全监测预警机制", BOOL, auto=True),
            Row("security_drills", "是否开展应急演练", BOOL),
            Row("security_officer", "是否明确网站安全责任人", BOOL),
        ),
    ),
    Section(
        "移动新媒体",
        (
            Row("new_media", "是否有移动新媒体", BOOL),
            Row("weibo_name", "名称", TEXT, group="微博"),
            Row("weibo_posts", "信息发布量（单位：条）", group="微博"),
            Row("weibo_followers", "关注量（单位：个）", group="微博"),
            Row("wechat_name", "名称", TEXT, group="微信"),
            Row("wechat_posts", "信息发布量（单位：条）", group="微信"),
            Row("wechat_subscribers", "订阅数（单位：个）", group="微信"),
            Row("new_media_other", "其他", TEXT),
        ),
    ),
    Section(
        "创新发展",
        (Row("innovation", "搜索即服务、多语言版本、无障碍浏览、千人千网及其他创新", TEXT),),
    ),
    Section(
        "填报信息",
        (
            Row("head", "单位负责人", TEXT),
            Row("reviewer", "审核人", TEXT),
            Row("filler", "填报人", TEXT),
            Row("phone", "联系电话", TEXT),
            Row("filled_on", "填报日期", TEXT, auto=True),
        ),
    ),
)

OPERATOR_FORM: tuple[Section, ...] = (
    Section("填报单位", (Row("unit", "填报单位", TEXT),)),
    Section(
        "网站开设整合（单位：个）",
        (
            Row("sites_running", "年底运行的政府网站数量", auto=True),
            Row("sites_opened", "本年度新开设网站数量", auto=True),
            Row("sites_merged", "本年度整合迁移网站数量", auto=True),
            Row("sites_closed", "本年度关停下线网站数量", auto=True),
        ),
    ),
    Section(
        "网站抽查",
        (
            Row("spot_runs", "检查次数（单位：次）", auto=True),
            Row("spot_sites", "抽查网站数量（单位：个）", auto=True),
            Row("spot_failing", "不合格网站数量（单位：个）", auto=True),
            Row("spot_pass_rate", "合格率", TEXT, auto=True),
            Row("accountability", "问责人次（单位：人次）"),
        ),
    ),
    Section(
        "安全检查",
        (
            Row("security_checks", "安全检查次数（单位：次）"),
            Row("security_issues", "发现问题数量（单位：个）"),
            Row("security_fixed", "问题整改数量（单位：个）"),
        ),
    ),
    Section(
        "“我为政府网站找错”平台网民留言办理",
        (
            Row("errors_received", "收到网民留言数量（单位：条）", auto=True),
            Row("errors_handled", "办结数量（单位：条）", auto=True),
            Row("errors_on_time", "按期（3个工作日内）办结数量（单位：条）", auto=True),
            Row("errors_rate", "按期办结率", TEXT, auto=True),
        ),
    ),
    Section(
        "假冒政府网站处置",
        (
            Row("fake_found", "发现假冒政府网站数量（单位：个）"),
            Row("fake_handled", "处置数量（单位：个）"),
        ),
    ),
    Section(
        "人员培训",
        (
            Row("training_sessions", "培训次数（单位：次）"),
            Row("training_people", "培训人数（单位：人次）"),
        ),
    ),
    Section(
        "填报信息",
        (
            Row("head", "单位负责人", TEXT),
            Row("reviewer", "审核人", TEXT),
            Row("filler", "填报人", TEXT),
            Row("phone", "联系电话", TEXT),
            Row("filled_on", "填报日期", TEXT, auto=True),
        ),
    ),
)


def rows_of(form: tuple[Section, ...]) -> list[Row]:
    return [row for section in form for row in section.rows]


def display(row: Row, value) -> str:
    """How a stored value reads on the form: 是/否, numbers as written, blank as “—”."""
    if value is None or value == "":
        return "—"
    if row.kind == BOOL:
        return "是" if value else "否"
    return str(value)


def table(form: tuple[Section, ...], values: dict) -> list[tuple[Section, list[tuple[Row, str]]]]:
    """Sections with each row's displayed value: what the public page, the XLSX and the PDF print."""
    return [(section, [(row, display(row, values.get(row.key))) for row in section.rows]) for section in form]
