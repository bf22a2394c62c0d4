from django.apps import AppConfig


class IdentityConfig(AppConfig):
    name = "identity"
    verbose_name = "统一身份认证"

    def ready(self) -> None:
        from identity import signals  # noqa: F401
