from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("shared_library", "0002_seed_taxonomies"),
    ]

    operations = [
        migrations.AddField(
            model_name="resource",
            name="origin_site_name",
            field=models.CharField(blank=True, max_length=100, verbose_name="原来源站点"),
        ),
    ]
