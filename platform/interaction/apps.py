from django.apps import AppConfig


class InteractionConfig(AppConfig):
    """互动交流: mailboxes, 依申请公开, 我为政府网站找错, surveys. Tables live in the public schema with a
    ``site`` FK (like the library), so a transfer between sites is one UPDATE and the cluster's
    statistics one query; every query is scoped to the handling site."""

    name = "interaction"
    verbose_name = "互动交流"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from interaction import (
            overdue,  # noqa: F401 - registers the overdue source with review's queue
            scheduled,  # noqa: F401 - registers the daily overdue reminder
        )
