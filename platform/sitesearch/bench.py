"""The search benchmark (``manage.py bench_search``, ``./zq bench search``): never part of the tests.

Generates government-style documents for N synthetic sites plus the library straight into the index
(schemas named ``zqbench_…``, site ids from ``BENCH_SITE_BASE``: nobody else's rows), times realistic
queries per site and cluster-wide through the real engine (count + top 10 + highlights), measures
recall against substring truth, indexing documents/s and one-document update latency, then deletes
every row it made.
"""

from __future__ import annotations

import datetime
import random
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection

from sitesearch import engine
from sitesearch.backends.postgres import match_query
from sitesearch.engine import IndexDocument, Query
from sitesearch.highlight import highlight, snippet
from sitesearch.models import SearchDocument
from sitesearch.segmenter import normalize, parse_query

BENCH_SCHEMA_PREFIX = "zqbench_"
BENCH_SITE_BASE = 9_000_000
BATCH = 500

PLACES = ["江城市", "青山县", "白水县", "城关镇", "河口镇", "红岩镇", "东湖街道", "西山乡", "江城经开区", "高新区"]
ORGS = ["人民政府", "人民政府办公室", "教育局", "卫生健康委员会", "民政局", "人力资源和社会保障局",
        "农业农村局", "应急管理局", "市场监督管理局", "生态环境局", "医疗保障局", "住房和城乡建设局",
        "交通运输局", "财政局"]  # fmt: skip
TOPICS = ["网站集约化", "放管服改革", "政府信息公开", "优化营商环境", "乡村振兴", "防汛抗旱", "安全生产", "垃圾分类",
          "义务教育", "医保报销", "养老服务", "就业创业", "疫苗接种", "秸秆禁烧", "森林防火", "河长制",
          "12345热线", "5G基站建设", "新能源汽车", "老旧小区改造", "困难群众救助", "高标准农田", "民营经济发展",
          "人才引进", "义诊活动", "食品安全", "消防安全", "文明城市创建", "数字政府", "一网通办"]  # fmt: skip
GENRES = ["通知", "公告", "意见", "办法", "方案", "报告", "通报", "决定", "规划", "批复"]
# (template, weight): generic sentences are common, the ones naming 12345热线 or G20 rare (in ~15 % of
# documents rather than every other one), as in a real site's archive.
SENTENCES = [
    ("为深入贯彻落实党中央、国务院关于{t}的决策部署，结合本地实际，制定本{g}。", 10),
    ("{p}召开{t}工作推进会，总结前期工作，部署下一阶段任务。", 10),
    ("会议要求，各部门要提高政治站位，压实工作责任，确保{t}各项任务落到实处。", 10),
    ("{y}年以来，{p}{o}围绕{t}开展专项行动，取得明显成效。", 10),
    ("群众可通过12345热线或政府网站反映有关{t}的意见建议。", 2),
    ("本{g}自发布之日起施行，由{p}{o}负责解释。", 10),
    ("G20峰会期间，{p}加强{t}工作，保障城市平稳运行。", 2),
    ("截至{y}年底，全市累计完成{t}项目{n}个，惠及群众{m}万人。", 10),
    ("各乡镇（街道）要于{y}年{n}月底前将{t}落实情况报送{o}。", 10),
    ("附件：{p}{t}工作任务分解表", 5),
]
TEMPLATES = [template for template, _weight in SENTENCES]
WEIGHTS = [weight for _template, weight in SENTENCES]


@dataclass
class Timing:
    label: str
    seconds: list[float]

    def line(self) -> str:
        ms = sorted(value * 1000 for value in self.seconds)
        p = lambda q: ms[min(len(ms) - 1, int(q * len(ms)))]  # noqa: E731
        return f"{self.label}: n={len(ms)} p50={p(0.50):.1f} ms p95={p(0.95):.1f} ms p99={p(0.99):.1f} ms"


def _document_number(rng: random.Random, year: int) -> str:
    prefix = rng.choice(["江政发", "江政办发", "青政发", "白政办", "江教发", "江卫健"])
    return f"{prefix}〔{year}〕{rng.randint(1, 150)}号"


def generate(count: int, sites: int, seed: int = 17) -> list[IndexDocument]:
    """``count`` documents: ~10 % library resources shown on 1–5 sites, the rest pages of one site."""
    rng = random.Random(seed)
    documents = []
    for i in range(count):
        place, org, topic, genre = rng.choice(PLACES), rng.choice(ORGS), rng.choice(TOPICS), rng.choice(GENRES)
        year = rng.randint(2019, 2026)
        date = datetime.date(year, rng.randint(1, 12), rng.randint(1, 28))
        values = {"p": place, "o": org, "g": genre, "y": year, "n": rng.randint(1, 30), "m": rng.randint(1, 90)}
        topics = [topic, rng.choice(TOPICS)]
        picked = rng.choices(TEMPLATES, WEIGHTS, k=rng.randint(4, 12))
        sentences = [template.format(t=rng.choice(topics), **values) for template in picked]
        body = "".join(sentences)
        title = f"{place}{org}关于{topic}的{genre}" if rng.random() < 0.6 else f"{place}扎实推进{topic}工作"
        library = i % 10 == 0
        site = rng.randrange(sites)
        number = _document_number(rng, year) if library or rng.random() < 0.2 else ""
        documents.append(
            IndexDocument(
                schema_name="public" if library else f"{BENCH_SCHEMA_PREFIX}{site:03d}",
                site_id=0 if library else BENCH_SITE_BASE + site,
                site_ids=sorted({BENCH_SITE_BASE + rng.randrange(sites) for _ in range(rng.randint(1, 5))})
                if library
                else [BENCH_SITE_BASE + site],
                model="bench.library" if library else "bench.page",
                object_id=i,
                url=f"/bench/{i}/",
                title=title,
                text=body,
                column_title=genre,
                column_kind=rng.choice(["news", "notices", "policy"]),
                genre=str(GENRES.index(genre)),
                topic=str(TOPICS.index(topic) % 20),
                publish_date=date,
                document_number=number,
                index_number=f"bench-{i:06d}" if library else "",
            )
        )
    return documents


QUERIES = [
    # two-character words
    "义诊", "防汛", "医保", "养老", "就业", "疫苗", "秸秆", "消防", "救助", "农田", "人才", "食品", "教育", "财政",
    "河长", "创业", "报销", "禁烧", "森林", "改造",
    # policy names and compounds
    "网站集约化", "放管服改革", "政府信息公开", "优化营商环境", "乡村振兴", "安全生产", "垃圾分类", "义务教育",
    "一网通办", "数字政府", "老旧小区改造", "困难群众救助", "高标准农田", "民营经济发展", "文明城市创建",
    "新能源汽车", "河长制", "森林防火", "政府網站", "資訊公開",
    # mixed Latin and digits
    "12345热线", "12345", "G20", "5G基站", "2024年", "2025年底",
    # document numbers (文号), whole and partial
    "江政发〔2024〕12号", "江政办发", "青政发", "江教发〔2023〕", "白政办",
    # places with organisations
    "城关镇人民政府", "青山县教育局", "江城市卫生健康委员会", "东湖街道", "江城经开区",
]  # fmt: skip


def _timed(fn: Callable[[], object]) -> tuple[float, object]:
    start = time.perf_counter()
    value = fn()
    return time.perf_counter() - start, value


def run(count: int, sites: int, out: Callable[[str], None], progress: Callable[[int], None] | None = None) -> dict:
    """Load, measure, clean up. Returns the numbers (also printed through ``out``)."""
    numbers: dict = {}
    cleanup()
    try:
        documents = generate(count, sites)
        start = time.perf_counter()
        for offset in range(0, len(documents), BATCH):
            engine.upsert(documents[offset : offset + BATCH])
            if progress:
                progress(len(documents[offset : offset + BATCH]))
        elapsed = time.perf_counter() - start
        numbers["index_docs_per_s"] = len(documents) / elapsed
        out(f"indexed {len(documents)} documents ({sites} sites + library) in {elapsed:.1f} s: "
            f"{numbers['index_docs_per_s']:.0f} documents/s")  # fmt: skip
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM ANALYZE {SearchDocument._meta.db_table}")
        numbers.update(_measure(documents, sites, out))
        updates = []
        rng = random.Random(5)
        for _ in range(100):
            doc = rng.choice(documents)
            doc.title = doc.title + "（修订）"
            seconds, _value = _timed(lambda doc=doc: engine.upsert([doc]))
            updates.append(seconds)
        out(Timing("one-document update (upsert, segmentation included)", updates).line())
        numbers["update"] = updates
    finally:
        cleanup()
    return numbers


def _measure(documents: list[IndexDocument], sites: int, out: Callable[[str], None]) -> dict:
    rng = random.Random(23)
    hay = haystacks(documents)
    per_site, cluster, recalls, slowest = [], [], [], []
    shown_first = False
    for q in QUERIES:
        parsed = parse_query(q)
        for scope in ("site", "cluster"):
            site_id = BENCH_SITE_BASE + rng.randrange(sites)
            query = Query(parsed=parsed, site_id=site_id, cluster=scope == "cluster")

            def once(query=query, parsed=parsed):
                results = engine.search(query)
                marks = parsed.marks
                marked = [(highlight(hit.title, marks), snippet(hit.text, marks)) for hit in results.hits]
                return results, marked

            once()  # warm the plan cache once per shape, as a serving process would be
            for _ in range(3):
                seconds, (results, marked) = _timed(once)
                (cluster if scope == "cluster" else per_site).append(seconds)
                slowest.append((seconds, scope, q, results.total))
            if scope == "cluster":
                recalls.append((q, *_recall(q, parsed, hay)))
                if not shown_first:
                    out(f"example “{q}”: {results.total} matches, top hit: {marked[0][0] if marked else '-'}")
                    shown_first = True
    out(Timing(f"per-site search ({len(QUERIES)} queries x 3)", per_site).line())
    out(Timing(f"cluster-wide search ({len(QUERIES)} queries x 3)", cluster).line())
    slow = sorted(slowest, reverse=True)[:5]
    out("slowest: " + ", ".join(f"{q} ({scope}, {n} matches) {sec * 1000:.0f} ms" for sec, scope, q, n in slow))
    found = sum(hit for _q, hit, _truth in recalls)
    truth = sum(total for _q, _hit, total in recalls)
    recall = found / truth if truth else 1.0
    out(f"recall vs substring truth (cluster-wide, all matches): {recall:.3f} ({found}/{truth})")
    worst = sorted(recalls, key=lambda row: (row[1] / row[2]) if row[2] else 1.0)[:5]
    out("lowest-recall queries: " + ", ".join(f"{q} {hit}/{total}" for q, hit, total in worst))
    return {"per_site": per_site, "cluster": cluster, "recall": recall}


def haystacks(documents: list[IndexDocument]) -> list[tuple[tuple[str, int], str]]:
    return [
        ((doc.model, doc.object_id), normalize(f"{doc.title} {doc.text} {doc.document_number}").replace(" ", ""))
        for doc in documents
    ]


def _recall(q: str, parsed, hay: list[tuple[tuple[str, int], str]]) -> tuple[int, int]:
    """(true matches found, true matches): truth = normalised title/text/文号 contains the query;
    found = the engine's own match condition over every row (no LIMIT)."""
    needle = normalize(q).replace(" ", "")
    truth = {key for key, text in hay if needle in text}
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT model, object_id FROM {SearchDocument._meta.db_table} WHERE terms @@ %s::tsquery"
            " AND (schema_name LIKE %s OR model = 'bench.library')",
            [match_query(parsed), BENCH_SCHEMA_PREFIX + "%"],
        )
        found = set(cursor.fetchall())
    return len(truth & found), len(truth)


def cleanup() -> None:
    SearchDocument.objects.filter(schema_name__startswith=BENCH_SCHEMA_PREFIX).delete()
    SearchDocument.objects.filter(model="bench.library").delete()
