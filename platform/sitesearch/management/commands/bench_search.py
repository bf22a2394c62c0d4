"""``manage.py bench_search [--docs N --sites N]``: search numbers (see ``sitesearch.bench``)."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from tqdm import tqdm

from sitesearch import bench


class Command(BaseCommand):
    help = "站内搜索性能：生成文档，测量查询延迟、召回率、索引速度和单条更新延迟，结束后清除。"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--docs", type=int, default=60_000)
        parser.add_argument("--sites", type=int, default=40)

    def handle(self, *args, docs: int, sites: int, **options) -> None:
        with tqdm(total=docs, desc="indexing", unit="doc", disable=None) as bar:
            bench.run(docs, sites, self.stdout.write, progress=bar.update)
