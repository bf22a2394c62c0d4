"""The plain Wagtail side of ``bench_portal`` (run with ``tenants.bench.plain.settings`` only)."""

from __future__ import annotations

import json

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tenants.bench import content
from tenants.content.models import ArticlePage


class Command(BaseCommand):
    help = "门户基准测试的普通 Wagtail 一侧：--load 建立相同内容；--count 路径… 输出每个请求的 SQL 语句数（JSON）。"

    def add_arguments(self, parser):
        parser.add_argument("--load", action="store_true")
        parser.add_argument("--count", nargs="*", default=[])

    def handle(self, *args, **options):
        if settings.ROOT_URLCONF != "tenants.bench.plain.urls":
            raise CommandError(
                "只在普通 Wagtail 基准项目中运行（DJANGO_SETTINGS_MODULE=tenants.bench.plain.settings）。"
            )
        if options["load"] and not ArticlePage.objects.filter(slug=content.MARKER_SLUG).exists():
            content.build_plain_site()
        if options["count"]:
            counts = {}
            client = Client(HTTP_HOST=content.HOSTNAME)
            for path in options["count"]:
                client.get(path)  # warm: content types, Wagtail's site root paths
                with CaptureQueriesContext(connection) as captured:
                    status = client.get(path).status_code
                counts[path] = {"status": status, "statements": len(captured.captured_queries)}
            self.stdout.write(json.dumps(counts))
