from django.apps import AppConfig


class ServicesConfig(AppConfig):
    name = "tenants.services"
    label = "services"
    verbose_name = "政务服务"
    default_auto_field = "django.db.models.BigAutoField"
