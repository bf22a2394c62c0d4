"""The plain single-site Wagtail project that ``bench_portal`` compares the cluster with must start and
load the very same page templates: when a cluster-only app crept into its apps (inspection's scheduled
job imports 互动交流, which that project leaves out), the bench broke without any test noticing."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

SCRIPT = """
import django
django.setup()
from django.template.loader import get_template
for name in ("content/home_page.html", "content/article_page.html", "content/column_page.html"):
    get_template(name)
print("ok")
"""


def test_the_plain_wagtail_project_starts_and_loads_the_page_templates():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tenants.bench.plain.settings"}
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "platform"), str(ROOT)])
    env.setdefault("SECRET_KEY", "bench-plain-test")
    command = [sys.executable, "-c", SCRIPT]
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and done.stdout.strip().endswith("ok"), done.stderr[-3000:]
