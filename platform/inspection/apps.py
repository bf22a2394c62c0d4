from django.apps import AppConfig


class InspectionConfig(AppConfig):
    """网站普查: continuous inspection of every site against the national rules. Runs live in the
    public schema (one table for the whole cluster, so the console's table is one query)."""

    name = "inspection"
    verbose_name = "网站普查"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from inspection import scheduled  # noqa: F401 - registers the scheduled inspection
