from django.apps import AppConfig


class ReviewConfig(AppConfig):
    """The review chain (上级审核): who approves a site's submissions, the 待审核 queue, overdue marks."""

    name = "review"
    verbose_name = "审核"

    def ready(self) -> None:
        from review import receivers  # noqa: F401  (connects the signal receivers)
