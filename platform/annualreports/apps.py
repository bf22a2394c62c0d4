from django.apps import AppConfig


class AnnualReportsConfig(AppConfig):
    """年度报表: each site's 《政府网站工作年度报表》 and the operator's 《政府网站监管年度报表》 (国办函〔2018〕12号).
    Public schema (one table for the whole cluster), so the console's status list is one query."""

    name = "annualreports"
    verbose_name = "年度报表"
    default_auto_field = "django.db.models.BigAutoField"
