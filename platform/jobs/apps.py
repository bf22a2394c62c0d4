from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "jobs"
    verbose_name = "后台任务"

    def ready(self) -> None:
        from jobs import scheduled  # noqa: F401 - registers the daily pruning of the queue's history
