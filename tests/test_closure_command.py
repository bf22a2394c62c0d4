"""``manage.py close_site X plan|notice|execute|rollback|status``: the whole closure by command, with a
progress bar, and every mistake answered by a clear Chinese message, never a traceback."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from tenants.closure.models import Closure, ClosureStatus
from tests.helpers import client_for, publish_article
from tests.servers import database_url

ROOT = Path(__file__).resolve().parents[1]


def run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("close_site", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def media(tmp_path, settings):
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path


def test_an_operator_closes_a_township_by_command_and_rolls_it_back(cluster, media, tmp_path):
    town = cluster["township"]
    publish_article(town, "news", "城关镇新闻", slug="chengguan-news")
    csv_path = tmp_path / "plan.csv"

    out, _err = run("t-town", "plan", "--map", "news=section", "--section-title", "城关镇", "--csv", str(csv_path))
    assert (
        "已规划：青山县城关镇人民政府 → 青山县人民政府，迁入栏目“城关镇”（http://t-county-a.localhost/t-town/）" in out
    )
    assert "栏目“工作动态”（news）→ 迁入栏目（t-town-news）" in out and "【提示】" in out
    lines = csv_path.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == "原地址,新地址,响应码,类型,标题"
    assert (
        "http://t-town.localhost/news/chengguan-news/,http://t-county-a.localhost/t-town/t-town-news/chengguan-news/,301,页面,城关镇新闻"
        in lines
    )
    assert "已规划" in run("t-town", "status")[0]

    with pytest.raises(CommandError, match="请先发布关停公告"):
        run("t-town", "execute")
    with pytest.raises(CommandError, match="须填写缩短原因"):
        run("t-town", "notice", "--days", "3")
    with pytest.raises(CommandError, match="公告期天数“三十”不是整数"):
        run("t-town", "notice", "--days", "三十")
    out, _err = run("t-town", "notice", "--days", "0", "--reason", "机构改革")
    assert "公告期 0 天" in out and "新地址 http://t-county-a.localhost/t-town/" in out

    out, err = run("t-town", "execute")
    assert "迁移完成" in out and "已关停" in out
    assert "复制页面" in err or "完成" in err  # the progress bar
    closure = Closure.objects.get(site=town)
    assert closure.status == ClosureStatus.REDIRECTING
    assert client_for(cluster["county_a"]).get("/t-town/t-town-news/chengguan-news/").status_code == 200
    status = run("t-town", "status")[0]
    assert "已迁移，待验证" in status and "进度：完成" in status
    with pytest.raises(CommandError, match="公告期|不能执行迁移|没有进行中的关停任务"):
        run("t-town", "execute")

    with pytest.raises(CommandError, match="请填写回滚原因"):
        run("t-town", "rollback")
    out, _err = run("t-town", "rollback", "--reason", "暂缓整合")
    assert "已回滚" in out
    town.refresh_from_db()
    assert town.status == "active"
    assert client_for(town).get("/news/chengguan-news/").status_code == 200
    with pytest.raises(CommandError, match="没有进行中的关停任务"):
        run("t-town", "status")


def test_mistakes_are_answered_in_chinese(cluster):
    with pytest.raises(CommandError, match="站点“nowhere”不存在"):
        run("nowhere", "plan")
    with pytest.raises(CommandError, match="迁入站点“nowhere”不存在"):
        run("t-town", "plan", "--into", "nowhere")
    with pytest.raises(CommandError, match="栏目映射“news”格式不对"):
        run("t-town", "plan", "--map", "news")
    with pytest.raises(CommandError, match="关停站点没有栏目“nope”"):
        run("t-town", "plan", "--map", "nope=section")
    with pytest.raises(CommandError, match="平台本身不能关停"):
        run("platform", "plan")
    with pytest.raises(CommandError, match="没有进行中的关停任务"):
        run("t-town", "notice")
    with pytest.raises(CommandError, match="没有进行中的关停任务"):
        run("t-county-b", "status")
    with pytest.raises(CommandError, match="无法写入 CSV 文件"):
        run("t-town", "plan", "--csv", "/nonexistent-dir/plan.csv")


def test_the_command_line_shows_no_traceback_for_bad_input(cluster):
    result = subprocess.run(
        [sys.executable, "manage.py", "close_site", "t-town", "plan", "--into", "t-town"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={
            "PATH": "/usr/bin:/bin",
            "DJANGO_SETTINGS_MODULE": "zhanqun.settings.test",
            "DATABASE_URL": database_url(connection.settings_dict),
        },
    )
    assert result.returncode == 1
    assert "站点不能迁入自身" in result.stderr and "Traceback" not in result.stderr
