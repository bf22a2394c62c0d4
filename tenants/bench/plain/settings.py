"""Plain single-site Wagtail: the platform's production settings without django-tenants.

Same apps (so the page models and templates are the very same), same static files storage (same
hashed URLs), same security-header middlewares; but the stock PostgreSQL backend, one schema, no
host routing, no cluster middlewares, and Wagtail's own URL conf. Its database is ``DATABASE_URL``,
which the bench points at a database of its own on the same PostgreSQL server.
"""

from zhanqun.settings.production import *  # noqa: F401,F403
from zhanqun.settings.production import DATABASES, INSTALLED_APPS

# Not django-tenants, and not the cluster's apps whose receivers and tasks work per site schema
# (console, review chain, cluster search index, 互动交流, 网站普查, 年度报表); the page models,
# themes, closure banner tag and library stay. Plain Wagtail's own search backend and immediate tasks.
CLUSTER_ONLY = {
    "django_tenants", "console", "review", "sitesearch", "interaction", "captcha", "inspection", "annualreports",
}
INSTALLED_APPS = [app for app in INSTALLED_APPS if app not in CLUSTER_ONLY]
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
DATABASES["default"]["ENGINE"] = "django.db.backends.postgresql"
DATABASE_ROUTERS: list[str] = []
ROOT_URLCONF = "tenants.bench.plain.urls"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
ZQ_ROUTING_CACHE_SECONDS = 0
ZQ_PAGE_CACHE_SECONDS = 0
MIDDLEWARE = [
    "zhanqun.security.SecurityHeadersMiddleware",
    "zhanqun.security.SitePolicyCSPMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "tenants.bench.plain.middleware.PlainSiteMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]
