"""Seed the national default taxonomies (主题分类 and 体裁分类 of 政府信息公开目录)."""

from django.db import migrations

TOPICS = [
    ("01", "综合政务"),
    ("02", "国民经济管理、国有资产监管"),
    ("03", "财政、金融、审计"),
    ("04", "国土资源、能源"),
    ("05", "农业、林业、水利"),
    ("06", "工业、交通"),
    ("07", "商贸、海关、旅游"),
    ("08", "市场监管、安全生产监管"),
    ("09", "城乡建设、环境保护"),
    ("10", "科技、教育"),
    ("11", "文化、广电、新闻出版"),
    ("12", "卫生、体育"),
    ("13", "人口与计划生育、妇女儿童工作"),
    ("14", "劳动、人事、监察"),
    ("15", "公安、安全、司法"),
    ("16", "民政、扶贫、救灾"),
    ("17", "民族、宗教"),
    ("18", "对外事务"),
    ("19", "港澳台侨工作"),
    ("20", "国防"),
    ("21", "其他"),
]

GENRES = [
    ("tz", "通知"),
    ("gg", "公告"),
    ("tg", "通告"),
    ("yj", "意见"),
    ("bf", "办法"),
    ("gd", "规定"),
    ("jd", "决定"),
    ("bg", "报告"),
    ("tb", "通报"),
    ("pf", "批复"),
    ("gh", "规划"),
    ("jiedu", "解读"),
    ("qt", "其他"),
]


def seed(apps, schema_editor):
    for model_name, rows in (("TopicCategory", TOPICS), ("Genre", GENRES)):
        model = apps.get_model("shared_library", model_name)
        for ordering, (code, name) in enumerate(rows, start=1):
            model.objects.update_or_create(code=code, defaults={"name": name, "ordering": ordering * 10})


def unseed(apps, schema_editor):
    apps.get_model("shared_library", "TopicCategory").objects.filter(code__in=[c for c, _ in TOPICS]).delete()
    apps.get_model("shared_library", "Genre").objects.filter(code__in=[c for c, _ in GENRES]).delete()


class Migration(migrations.Migration):
    dependencies = [("shared_library", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
