from django.apps import AppConfig


class SiteUsersConfig(AppConfig):
    name = "siteusers"
    verbose_name = "站点用户"
