"""Each demo site's own, believable content: its news (with its own place names and a picture), its
notices, its policy documents in the library (文号, 索引号 by the library's own rule), their
interpretations, the city's documents syndicated down, and longer interpretation articles cleaned
from the project's seed texts. Dates are spread over the past months, newest within the last days,
so no two sites look alike and no site looks as if everything was written today.

Deterministic per site (a random generator seeded by the slug): a rebuilt demo looks the same.
"""

from __future__ import annotations

import datetime
import json
import random
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from django.utils import timezone
from django.utils.html import escape
from django_tenants.utils import schema_context

from shared_library import services
from shared_library.models import Genre, ResourceKind, TopicCategory
from tenants.content.models import ArticlePage, ColumnPage
from tenants.demo.pictures import embed, make_picture
from tenants.demo.seeds import SeedText, load_seeds
from tenants.models import Site


@dataclass(frozen=True)
class Profile:
    """What makes a site's content its own: its place, the places under it, its document prefix."""

    place: str  # 青山县
    spots: tuple[str, ...]  # towns, villages, communities or schools named in its news
    doc_prefix: str = ""  # 青政发 / 青政办发; blank: the site issues no policy documents
    office_prefix: str = ""
    news_kind: str = "county"  # which news templates fit: county, township, education


PROFILES: dict[str, Profile] = {
    "jiangcheng": Profile("江城市", ("东湖新区", "高新区", "江北区", "青山县", "白水县"), "江政发", "江政办发", "city"),
    "qingshan": Profile("青山县", ("城关镇", "红岩镇", "石门乡", "柳溪村", "青山经济开发区"), "青政发", "青政办发"),
    "baishui": Profile("白水县", ("河口镇", "白沙镇", "桃源村", "白水工业园"), "白政发", "白政办发"),
    "jc-edu": Profile(
        "江城市教育局",
        ("江城市第一中学", "江城市实验小学", "青山县职业技术学校", "白水县第二中学"),
        news_kind="education",
    ),
    "qs-chengguan": Profile("城关镇", ("东街社区", "西关村", "河滨社区", "南塘村"), news_kind="township"),
    "qs-hongyan": Profile("红岩镇", ("红岩村", "枫树湾村", "石桥村"), news_kind="township"),
    "bs-hekou": Profile("河口镇", ("河口社区", "柳湾村", "新渡村"), news_kind="township"),
}

# (title, lead sentence, detail sentence); {place} the site's place, {spot} one of its places.
NEWS: dict[str, list[tuple[str, str, str]]] = {
    "county": [
        (
            "{place}召开政府网站与政务新媒体工作会议",
            "会议通报了上半年全{unit}政府网站和政务新媒体检查情况，对存在问题的单位进行了点名。",
            "会议要求各单位落实信息发布审核制度，确保栏目及时更新、内容准确权威。",
        ),
        (
            "{place}部署秋冬季森林防火工作",
            "会议分析了当前森林防火形势，对火源管控、巡山护林和应急处置作出安排。",
            "各乡镇（街道）要压实网格责任，{spot}等重点林区实行24小时值守。",
        ),
        (
            "{place}“政务服务进{spot}”活动启动",
            "活动把社保、医保、不动产登记等高频事项搬到群众家门口，现场受理业务一百余件。",
            "下一步，{place}将把帮办代办服务延伸到所有村（社区）便民服务站。",
        ),
        (
            "{spot}高标准农田建设项目通过验收",
            "项目新建和改造灌溉渠道、机耕道路，受益农田一万余亩。",
            "验收组实地察看了田间工程，认为项目质量达标、资料齐全、管护责任明确。",
        ),
        (
            "{place}召开优化营商环境推进会",
            "会议通报了企业开办、工程建设项目审批等重点指标的进展。",
            "{place}将推行涉企事项“一件事一次办”，让企业少跑腿、好办事。",
        ),
        (
            "{place}重点项目集中开工",
            "本次集中开工项目涵盖先进制造、城市更新、水利和民生等领域。",
            "其中{spot}片区项目建成后将新增就业岗位八百余个。",
        ),
        (
            "{place}开展安全生产大检查",
            "检查组深入{spot}等地的企业、工地和人员密集场所，排查隐患并督促整改。",
            "对检查发现的问题，{place}实行清单管理、限期销号。",
        ),
        (
            "{place}城乡居民医保集中参保缴费启动",
            "群众可通过线上平台、银行网点和村（社区）代办点缴费。",
            "{place}医保部门提醒，按时参保缴费可确保明年医保待遇不中断。",
        ),
        (
            "{place}“一网通办”可办率持续提升",
            "目前，{place}政务服务事项网上可办率达到98%，“最多跑一次”事项占比超过九成。",
            "{spot}等地的便民服务站已实现社保、医保业务就近办理。",
        ),
    ],
    "city": [
        (
            "{place}召开全市政府网站集约化工作推进会",
            "会议听取了各县区政府网站集约化平台建设情况汇报。",
            "会议要求年底前完成乡镇网站整合上移，统一信息资源库全面投入使用。",
        ),
        (
            "{place}举行重点项目集中签约仪式",
            "本次签约项目涵盖新能源、生物医药、现代物流等领域。",
            "{spot}将承接其中多个产业项目落地。",
        ),
        (
            "{place}部署冬季清洁取暖和大气污染防治工作",
            "会议对重点行业错峰生产、扬尘治理和散煤管控作出安排。",
            "各县区要加强巡查，确保空气质量持续改善。",
        ),
        (
            "{place}开展政务公开工作专题培训",
            "培训围绕政府信息公开条例、基层政务公开标准目录等内容展开。",
            "各县区政务公开工作人员参加培训。",
        ),
        (
            "{place}发布政府信息公开工作年度报告",
            "报告公开了主动公开、依申请公开和行政复议诉讼等数据。",
            "市民可在市政府门户网站“政府信息公开”栏目查阅全文。",
        ),
        (
            "{spot}民生实事项目进展顺利",
            "今年确定的十件民生实事中，已有七件提前完成。",
            "{place}将加强跟踪督办，确保年底全面完成。",
        ),
    ],
    "township": [
        (
            "{place}开展“清洁家园”人居环境整治行动",
            "镇村干部和志愿者清理房前屋后杂物、沟渠垃圾，整治乱堆乱放。",
            "{spot}等村将整治情况纳入“红黑榜”评比。",
        ),
        (
            "{spot}举办农民丰收节",
            "活动现场展示了本地特色农产品，开展了农技咨询和文艺演出。",
            "当天农产品现场销售额达十余万元。",
        ),
        (
            "{place}召开防汛抗旱工作部署会",
            "会议明确了各村（社区）防汛责任人和巡查任务。",
            "{place}储备了编织袋、救生衣等防汛物资，确保安全度汛。",
        ),
        (
            "{place}开展老年人防范电信诈骗宣传",
            "工作人员走进{spot}，用身边案例讲解常见诈骗手法。",
            "现场发放宣传资料三百余份，帮助老人安装反诈软件。",
        ),
        (
            "{spot}便民服务站正式启用",
            "服务站设置社保、医保、民政等窗口，群众在家门口就能办事。",
            "{place}将推动更多事项下沉到村（社区）办理。",
        ),
        (
            "{place}完成{spot}道路硬化工程",
            "工程硬化村组道路三公里，解决了群众雨天出行难的问题。",
            "项目建设过程中，{place}全程公开资金使用和施工进度。",
        ),
    ],
    "education": [
        (
            "{place}部署秋季学期开学工作",
            "会议对校园安全、疫病防控、教材发放和学生资助作出安排。",
            "各学校要开展开学安全大检查，确保平稳有序开学。",
        ),
        (
            "{spot}开展校园食品安全专项检查",
            "检查组查看了食堂原料采购、加工制作和留样记录。",
            "对发现的问题，学校已当场整改。",
        ),
        (
            "{place}召开义务教育招生入学工作会",
            "会议通报了今年招生入学政策和网上报名安排。",
            "全市义务教育招生继续实行免试就近入学。",
        ),
        (
            "{place}组织中小学教师信息技术能力提升培训",
            "培训采用线上线下结合方式，覆盖全市中小学教师。",
            "{spot}等学校的教师代表作了经验交流。",
        ),
        (
            "{spot}获评省级文明校园",
            "近年来，学校坚持立德树人，积极开展志愿服务和劳动教育。",
            "{place}将以此为契机，推进全市文明校园创建工作。",
        ),
    ],
}

# (title, body sentence); notices are dated, addressed, and signed by the site's organiser.
NOTICES: list[tuple[str, str]] = [
    (
        "{place}关于开展政府网站用户满意度调查的公告",
        "为进一步提升政府网站服务水平，现面向社会开展网站用户满意度调查，欢迎广大群众通过网站“互动交流”栏目参与。",
    ),
    (
        "关于{spot}部分区域临时停水的通知",
        "因供水管网改造施工，{spot}部分区域将临时停水，请相关用户提前做好储水准备，给您带来不便，敬请谅解。",
    ),
    (
        "{place}关于公开招聘社区工作者的公告",
        "根据工作需要，现面向社会公开招聘社区工作者，报名时间、条件和程序详见本公告。",
    ),
    (
        "关于征求《{place}农村人居环境整治提升方案》意见的公告",
        "为提高决策的科学性和透明度，现将方案全文公开征求社会各界意见，征求意见期不少于30日。",
    ),
    ("{place}关于做好冬季森林防火工作的通告", "进入森林防火期，严禁在林区野外用火，对违反规定的，依法予以处罚。"),
]

# (title, 文号 prefix kind, genre code, topic code, sentences); {place} the issuing government.
POLICIES: list[tuple[str, str, str, str, tuple[str, ...]]] = [
    (
        "{place}人民政府关于印发{place}优化营商环境若干措施的通知",
        "doc",
        "tz",
        "02",
        (
            "为持续优化营商环境，激发市场主体活力，结合本地实际，制定本措施。",
            "一、深化“放管服”改革，推行涉企事项“一件事一次办”。",
            "二、加强要素保障，降低企业用地、用能和融资成本。",
            "三、强化监管执法规范，推行包容审慎监管。",
        ),
    ),
    (
        "{place}人民政府办公室关于进一步加强农村人居环境整治的实施意见",
        "office",
        "yj",
        "09",
        (
            "为深入推进农村人居环境整治提升，建设宜居宜业和美乡村，提出如下实施意见。",
            "一、全面推进农村生活垃圾治理，健全收运处置体系。",
            "二、扎实推进农村厕所革命和生活污水治理。",
            "三、建立长效管护机制，落实村庄保洁责任。",
        ),
    ),
    (
        "{place}人民政府关于印发{place}数字政府建设实施方案的通知",
        "doc",
        "tz",
        "01",
        (
            "为加快数字政府建设，提升政府治理能力和服务水平，制定本方案。",
            "一、建设统一的政府网站集约化平台和信息资源库。",
            "二、推进政务数据共享，实现“一网通办”“一网统管”。",
            "三、加强网络和数据安全保障。",
        ),
    ),
]

INTERPRETATION_TITLE = "一图读懂《{short}》"

# The project's earlier, hand-cleaned seed articles: the 办事服务 guides are reused (names adapted).
ARTICLES_FILE = Path(__file__).with_name("articles.json")


@dataclass
class Dates:
    """Publish dates for one site: spread over ~150 days, the newest within the last few days."""

    rng: random.Random
    today: datetime.date = field(default_factory=timezone.localdate)

    def spread(self, count: int, newest_within: int = 3, span: int = 150) -> list[datetime.date]:
        """``count`` distinct dates, newest first: denser in recent weeks (a live site publishes
        often; national rules want news within two weeks) and thinning out towards ``span`` days."""
        ages = {self.rng.randrange(0, newest_within)}
        while len(ages) < count:
            ages.add(newest_within + int((span - newest_within) * self.rng.random() ** 1.8))
        return [self.today - datetime.timedelta(days=age) for age in sorted(ages)]


def fill_site(site: Site, profile: Profile | None = None) -> None:
    """Publish this site's own content (and, for the city, syndicate its documents down). Call it
    once every site of the cluster exists."""
    profile = profile or PROFILES.get(site.slug)
    if profile is None:
        return
    rng = random.Random(site.slug)
    dates = Dates(rng)
    with schema_context(site.schema_name):
        columns = {column.slug: column for column in ColumnPage.objects.all()}
        _publish_news(site, profile, columns, rng, dates)
        _publish_notices(site, profile, columns, rng, dates)
        _publish_seed_interpretations(site, columns, rng, dates)
        _publish_service_guides(site, profile, columns, dates)
    if profile.doc_prefix:
        _library_documents(site, profile, rng, dates)


def _fill(template: str, site: Site, profile: Profile, spot: str) -> str:
    unit = "市" if site.kind == "city" else "县" if site.kind == "county" else "镇"
    return template.format(place=profile.place, spot=spot, unit=unit)


def _article(column: ColumnPage, *, title: str, body: str, date, source: str, summary: str = "") -> ArticlePage:
    # A dated slug as the admin gives one (``content.models.dated_slug``), stable for a rebuilt demo.
    slug = f"{date:%Y%m%d}-{zlib.crc32(title.encode()) % 100000}"
    page = ArticlePage(title=title, slug=slug, body=body, source=source, publish_date=date, summary=summary[:255])
    column.add_child(instance=page)
    page.save_revision().publish()
    return page


def _publish_news(site: Site, profile: Profile, columns, rng: random.Random, dates: Dates) -> None:
    column = columns.get("news")
    if column is None:
        return
    templates = NEWS[profile.news_kind]
    for index, ((title, lead, detail), date) in enumerate(zip(templates, dates.spread(len(templates)), strict=True)):
        spot = rng.choice(profile.spots)
        title, lead, detail = (_fill(text, site, profile, spot) for text in (title, lead, detail))
        picture = make_picture(title, f"{site.name}  {date:%Y年%m月%d日}", index + len(site.slug),
                               f"news-{date:%Y%m%d}-{index}.png")  # fmt: skip
        day = f"{date.month}月{date.day}日"
        body = (
            f"<p>{escape(day)}，{escape(lead)}</p>"
            + embed(picture, title)
            + f"<p>{escape(detail)}</p><p>（{escape(site.organiser or site.name)}供稿）</p>"
        )
        _article(column, title=title, body=body, date=date, source=site.name, summary=lead)


def _publish_notices(site: Site, profile: Profile, columns, rng: random.Random, dates: Dates) -> None:
    column = columns.get("notices")
    if column is None:
        return
    chosen = rng.sample(NOTICES, 3)
    for (title, sentence), date in zip(chosen, dates.spread(3, newest_within=10), strict=True):
        spot = rng.choice(profile.spots)
        title, sentence = _fill(title, site, profile, spot), _fill(sentence, site, profile, spot)
        signature = f"<p>{escape(site.organiser or site.name)}</p><p>{date.year}年{date.month}月{date.day}日</p>"
        body = f"<p>{escape(sentence)}</p><p>特此公告。</p>{signature}"
        _article(column, title=title, body=body, date=date, source=site.name, summary=sentence)


def _publish_seed_interpretations(site: Site, columns, rng: random.Random, dates: Dates) -> None:
    """One or two longer articles from the cleaned seeds (a different pick per site)."""
    column = columns.get("interpretation")
    seeds: list[SeedText] = load_seeds()
    if column is None or not seeds:
        return
    picks = rng.sample(seeds, min(2, len(seeds)))
    for seed, date in zip(picks, dates.spread(len(picks), newest_within=20), strict=True):
        body = "".join(f"<p>{escape(p)}</p>" for p in seed.paragraphs[:8])
        _article(column, title=seed.title, body=body, date=date, source="转载", summary=seed.paragraphs[0][:100])


def _publish_service_guides(site: Site, profile: Profile, columns, dates: Dates) -> None:
    """The 办事服务/便民服务 guides, naming this site's government (a township's: its county's)."""
    column = columns.get("service")
    if column is None:
        return
    government = profile.place if site.kind in ("city", "county") else PROFILES.get(
        getattr(site.parent, "slug", ""), profile
    ).place  # fmt: skip
    head = "市长" if site.kind == "city" else "县长"
    guides = [a for a in json.loads(ARTICLES_FILE.read_text(encoding="utf-8"))["articles"] if a["column"] == "service"]
    for guide, date in zip(guides, dates.spread(len(guides), newest_within=40), strict=True):

        def adapt(text: str) -> str:
            return text.replace("县政府", f"{government}政府").replace("县长", head).replace("我县", government)

        body = "".join(f"<p>{escape(adapt(p))}</p>" for p in guide["paragraphs"])
        _article(
            column, title=adapt(guide["title"]), body=body, date=date, source=site.name, summary=adapt(guide["summary"])
        )


def _library_documents(site: Site, profile: Profile, rng: random.Random, dates: Dates) -> None:
    """The site's policy documents and their interpretations, in the library with 文号 and 索引号,
    shown in its own columns; the city's are also syndicated to every county and department."""
    genres = {g.code: g for g in Genre.objects.all()}
    topics = {t.code: t for t in TopicCategory.objects.all()}
    targets = [site]
    if site.kind == "city":
        targets += list(Site.objects.filter(parent=site, kind__in=("county", "department")))
    by = f"{site.slug}-editor"
    numbers = rng.sample(range(3, 40), len(POLICIES))
    for (title, prefix_kind, genre, topic, sentences), date, number in zip(
        POLICIES, dates.spread(len(POLICIES), newest_within=25, span=200), numbers, strict=True
    ):
        prefix = profile.doc_prefix if prefix_kind == "doc" else profile.office_prefix
        title = title.format(place=profile.place)
        policy = services.create_resource(
            by=by, site=site, publish=True, kind=ResourceKind.POLICY, title=title,
            summary=sentences[0], body="".join(f"<p>{escape(s)}</p>" for s in sentences),
            issuing_body=f"{profile.place}人民政府" if prefix_kind == "doc" else f"{profile.place}人民政府办公室",
            document_number=f"{prefix}〔{date.year}〕{number}号", written_date=date - datetime.timedelta(days=3),
            publish_date=date, genre=genres.get(genre), topic=topics.get(topic),
        )  # fmt: skip
        services.syndicate(policy, targets, "policy", by=by, site=site)
        short = title.split("关于印发")[-1].removesuffix("的通知").removesuffix("的实施意见")
        reading = services.create_resource(
            by=by, site=site, publish=True, kind=ResourceKind.INTERPRETATION,
            title=INTERPRETATION_TITLE.format(short=short.split("关于")[-1]),
            summary=f"《{title}》出台的背景、主要内容和落实举措。",
            body=f"<p>近日，{escape(profile.place)}印发《{escape(title)}》（{escape(policy.document_number)}）。</p>"
            + "".join(f"<p>{escape(s)}</p>" for s in sentences[1:]),
            issuing_body=policy.issuing_body, publish_date=min(date + datetime.timedelta(days=1), dates.today),
            genre=genres.get("jiedu"), topic=policy.topic, interpretation_of=policy,
        )  # fmt: skip
        services.syndicate(reading, targets, "interpretation", by=by, site=site)
