from django.db import migrations, models


def fill_review_by(apps, schema_editor):
    Site = apps.get_model("tenants", "Site")
    Site.objects.filter(kind="township").update(review_by="parent")
    Site.objects.exclude(kind="township").update(review_by="own")


class Migration(migrations.Migration):
    dependencies = [("tenants", "0002_domain_serve_alias")]

    operations = [
        migrations.AddField(
            model_name="site",
            name="review_by",
            field=models.CharField(
                blank=True,
                choices=[("own", "本站编辑审核"), ("parent", "上级站点编辑审核"), ("both", "本站或上级站点编辑审核")],
                help_text="谁审核本站信息报送员提交的内容。留空则按站点类型：乡镇（街道）由上级站点审核，其他由本站审核。",
                max_length=10,
                verbose_name="审核方式",
            ),
        ),
        migrations.RunPython(fill_review_by, migrations.RunPython.noop),
    ]
