"""Settings shared by every environment. Everything that differs between machines comes from the
environment (12-factor) with a safe default for a developer's laptop."""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from botocore.config import Config as BotoConfig

from zhanqun.lib import csp, embedded_db
from zhanqun.lib.filetypes import ALLOWED_EXTENSIONS, CONTENT_TYPES

BASE_DIR = Path(__file__).resolve().parents[3]  # the repository root
VAR_DIR = embedded_db.project_var_dir()  # ZQ_VAR_DIR, default <repository>/var


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-insecure-key-change-me")
DEBUG = env_bool("DEBUG", False)

# --- Tenancy ---------------------------------------------------------------------------------
# Every site (county, department, township...) is a django-tenants tenant with its own PostgreSQL
# schema. The split below is the one place that says which tables live where.
SHARED_APPS = [
    "django_tenants",  # schema routing; must come first
    # Public-schema only: the cluster's registry and everything shared by all sites.
    "tenants",  # Site (the tenant), Domain, provisioning template bookkeeping
    "tenants.closure",  # closing a site and migrating it upward (关停上移): plan, ledger, redirects
    "identity",  # one account per person across the cluster (统一身份认证), role registry
    "audit",  # who did what, where, when — one log for the whole cluster
    "jobs",  # the task queue's site (schema) per task, the worker and the scheduler; before django_tasks_db
    "django_tasks_db",  # the task queue table (django-tasks-db); one queue for the whole cluster
    "shared_library",  # the unified information resource library (统一信息资源库)
    "sitesearch",  # Chinese search: one index of every site and the library (public schema), its logs
    "interaction",  # 互动交流: mailboxes, 依申请公开, 找错, surveys; rows carry their site (transfers, cluster stats)
    "inspection",  # 网站普查: inspection runs against the national rules (history per site, public schema)
    "annualreports",  # 年度报表: each site's 工作年度报表 and the operator's 监管年度报表 (public schema)
    "captcha",  # django-simple-captcha: the public forms' captcha (its store is shared by every site)
    "review",  # the review chain (上级审核) and the 待审核 queue; no tables
    "console",  # the platform operators' screens inside the public schema's Wagtail admin
    "zhanqun.ops",  # /healthz, /readyz, /metrics and JSON logs; no tables
    "csp",  # django-csp: Content-Security-Policy (policies below, middleware in zhanqun.security)
    # In both the public and every site schema: the platform console is itself a Wagtail admin on
    # the public schema, and each site has its own Wagtail, users, groups and sessions.
    "siteusers",
    "themes",
    "tenants.content",
    "tenants.services",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_tasks",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",  # no tables; its catalogue translates Wagtail's naturaltime ("刚刚", "3 分钟之前")
]

TENANT_APPS = [
    # Per-site schema: pages, users/groups (roles are per site), sessions (a login on one site's
    # admin is never a login on another), Wagtail's own tables (revisions, workflows, redirects,
    # images, documents, search index).
    "siteusers",
    "tenants.content",
    "tenants.services",  # 办事指南 pages (service guides)
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
]

INSTALLED_APPS = list(SHARED_APPS) + [app for app in TENANT_APPS if app not in SHARED_APPS]

TENANT_MODEL = "tenants.Site"
TENANT_DOMAIN_MODEL = "tenants.Domain"
PUBLIC_SCHEMA_NAME = "public"
PUBLIC_SCHEMA_URLCONF = "zhanqun.urls_public"
ROOT_URLCONF = "zhanqun.urls"
DATABASE_ROUTERS = ("django_tenants.routers.TenantSyncRouter",)
DEFAULT_NOT_FOUND_TENANT_VIEW = "tenants.views.UnknownHostView"
# The platform console's own domain (the public schema's primary domain).
PLATFORM_DOMAIN = os.environ.get("ZQ_PLATFORM_DOMAIN", "platform.localhost")
# Suffix used to derive a new site's default domain from its slug (``<slug>.<suffix>``).
SITE_DOMAIN_SUFFIX = os.environ.get("ZQ_SITE_DOMAIN_SUFFIX", "localhost")
# How long provisioning waits for another process's template build or pool refill (see tenants.lib.pg).
ZQ_LOCK_WAIT_SECONDS = int(os.environ.get("ZQ_LOCK_WAIT_SECONDS", 900))
# Spare site schemas kept ready (tenants.pool.top_up, run by the scheduler and during bulk creation).
ZQ_POOL_SIZE = int(os.environ.get("ZQ_POOL_SIZE", 5))
# Processes that migrate stale site schemas at once during a deploy (tenants.platform_setup): each
# schema is migrated on its own connection; 1 migrates them one after another.
ZQ_MIGRATE_PROCESSES = int(os.environ.get("ZQ_MIGRATE_PROCESSES", min(4, os.cpu_count() or 1)))

# --- Database --------------------------------------------------------------------------------
if os.environ.get("DATABASE_URL"):
    # Health checks: a kept connection is tested (SELECT 1) before a request reuses it, so after a
    # database restart no request fails on a connection the restart broke; it is reopened instead.
    _db = dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=60, conn_health_checks=True)
else:
    try:
        _db = embedded_db.database_settings(VAR_DIR)
    except embedded_db.EmbeddedDatabaseError as exc:  # said plainly, without a traceback
        raise SystemExit(f"[内置数据库] {exc}") from None
# django-tenants' backend, setting the schema only when it changes and caching content types per
# schema (see tenants.postgresql_backend).
_db["ENGINE"] = "tenants.postgresql_backend"
DATABASES = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache -----------------------------------------------------------------------------------
# Every alias uses django-tenants' key function: Wagtail caches site root paths and renditions
# under fixed keys, which would otherwise leak between tenants.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("ZQ_CACHE_PREFIX", "zq"),
            "KEY_FUNCTION": "django_tenants.cache.make_key",
            "REVERSE_KEY_FUNCTION": "django_tenants.cache.reverse_key",
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "KEY_FUNCTION": "django_tenants.cache.make_key",
            "REVERSE_KEY_FUNCTION": "django_tenants.cache.reverse_key",
        }
    }

# Host → site routing and Wagtail's site lookup are cached per host (tenants.routing), and anonymous
# visitors get whole pages from the page cache (tenants.pagecache), purged on every change. Both need
# a cache every process shares to purge across processes: on by default only with REDIS_URL.
ZQ_ROUTING_CACHE_SECONDS = int(os.environ.get("ZQ_ROUTING_CACHE_SECONDS", 300 if REDIS_URL else 0))
ZQ_PAGE_CACHE_SECONDS = int(os.environ.get("ZQ_PAGE_CACHE_SECONDS", 300 if REDIS_URL else 0))
# Cookies that do not change a page (e.g. an analytics id): a request carrying only these may still get
# a cached page. Any other cookie (session, CSRF, a visitor's preference) bypasses the page cache.
ZQ_PAGE_CACHE_IGNORED_COOKIES = env_list("ZQ_PAGE_CACHE_IGNORED_COOKIES")

# --- Background work -------------------------------------------------------------------------
# Wagtail 8 queues its own jobs (reference index updates, file deletion) through django-tasks, and so
# do the console's long jobs. The default is a real queue in PostgreSQL (django-tasks-db) whose rows
# carry the site schema they were queued from (jobs.backend); ``manage.py db_worker`` runs them, each
# in its site. ZQ_TASKS_BACKEND=django_tasks.backends.immediate.ImmediateBackend runs them in the
# request instead (no worker needed).
TASKS = {
    "default": {
        "BACKEND": os.environ.get("ZQ_TASKS_BACKEND", "jobs.backend.SchemaDatabaseBackend"),
    }
}
# A failed task is tried again after ZQ_TASK_RETRY_SECONDS, then twice that, … (capped at an hour)
# until it has been tried ZQ_TASK_MAX_ATTEMPTS times; then it stays FAILED on the console's 后台任务 screen.
ZQ_TASK_MAX_ATTEMPTS = int(os.environ.get("ZQ_TASK_MAX_ATTEMPTS", 3))
ZQ_TASK_RETRY_SECONDS = float(os.environ.get("ZQ_TASK_RETRY_SECONDS", 10))
# The daily job ``prune_job_history`` (jobs.scheduled) deletes finished task rows and scheduler runs
# older than these many days: the queue table stays small, and operators keep a failure long enough
# to look at it (django-tasks-db's own default is 14 days for every finished task).
ZQ_TASK_RESULT_KEEP_DAYS = int(os.environ.get("ZQ_TASK_RESULT_KEEP_DAYS", 14))
ZQ_FAILED_TASK_KEEP_DAYS = int(os.environ.get("ZQ_FAILED_TASK_KEEP_DAYS", 30))
ZQ_SCHEDULED_RUN_KEEP_DAYS = int(os.environ.get("ZQ_SCHEDULED_RUN_KEEP_DAYS", 30))

# --- Media and static files ------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "static_collected"))
MEDIA_URL = os.environ.get("MEDIA_URL", "/media/")
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
# Each tenant's files live under its own prefix (see tenants.storage), so a file deleted or
# replaced in one site never touches another's. With local files the app serves each host only its
# own schema's prefix (tenants.media), in development and production; set ZQ_SERVE_MEDIA=false
# when something in front serves MEDIA_ROOT per host instead.
ZQ_SERVE_MEDIA = env_bool("ZQ_SERVE_MEDIA", True)
# Uploads (library attachments, Wagtail documents): the types in zhanqun.lib.filetypes, checked by
# content, up to this size.
ZQ_MAX_UPLOAD_MB = int(os.environ.get("ZQ_MAX_UPLOAD_MB", 50))
# Library downloads on S3 redirect to a signed URL valid this long (the check is made per click).
ZQ_DOWNLOAD_URL_SECONDS = int(os.environ.get("ZQ_DOWNLOAD_URL_SECONDS", 60))
_media_backend = "tenants.storage.TenantFileSystemStorage"
AWS_STORAGE_BUCKET_NAME = os.environ.get("S3_BUCKET", "")
# Signature V4 for signed URLs: V2 is deprecated by AWS and mis-signs the response-content-* overrides
# that library downloads use (SeaweedFS, like newer AWS regions, rejects them).
AWS_S3_SIGNATURE_VERSION = os.environ.get("S3_SIGNATURE_VERSION", "s3v4")
if AWS_STORAGE_BUCKET_NAME:
    _media_backend = "tenants.storage.TenantS3Storage"
    AWS_S3_ENDPOINT_URL = os.environ.get("S3_ENDPOINT_URL") or None
    AWS_ACCESS_KEY_ID = os.environ.get("S3_ACCESS_KEY_ID", "")
    AWS_SECRET_ACCESS_KEY = os.environ.get("S3_SECRET_ACCESS_KEY", "")
    AWS_S3_REGION_NAME = os.environ.get("S3_REGION", "us-east-1")
    AWS_S3_ADDRESSING_STYLE = "path"
    AWS_DEFAULT_ACL = None
    AWS_QUERYSTRING_AUTH = env_bool("S3_QUERYSTRING_AUTH", True)
    # An unreachable S3 must fail a file request within seconds (a clear 503, see
    # zhanqun.lib.storage_outage), not hold a web thread for botocore's default 60 s × 5 attempts.
    # A hung S3 (accepts, never answers) costs attempts × read timeout (+ < 1 s backoff) per call:
    # 2 × 10 s stays well inside gunicorn's 60 s worker timeout, so the visitor gets the 503 message
    # rather than a killed worker (3 × 30 s did not). tests/test_s3_hung.py shows the formula.
    AWS_S3_CLIENT_CONFIG = BotoConfig(
        s3={"addressing_style": AWS_S3_ADDRESSING_STYLE},
        signature_version=AWS_S3_SIGNATURE_VERSION,
        connect_timeout=int(os.environ.get("S3_CONNECT_TIMEOUT", 5)),
        read_timeout=int(os.environ.get("S3_READ_TIMEOUT", 10)),
        retries={"max_attempts": int(os.environ.get("S3_MAX_ATTEMPTS", 2)), "mode": "standard"},
    )
# Archives of closed sites' schemas (pg_dump, gzip'd): private, never under MEDIA_ROOT; in the
# media bucket under their own prefix when S3 is configured.
_archive_storage = {
    "BACKEND": "django.core.files.storage.FileSystemStorage",
    "OPTIONS": {"location": str(Path(os.environ.get("ZQ_ARCHIVE_DIR", VAR_DIR / "archives"))), "base_url": None},
}
if AWS_STORAGE_BUCKET_NAME:
    _archive_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {"location": os.environ.get("ZQ_ARCHIVE_PREFIX", "closure-archives"), "file_overwrite": False},
    }
STORAGES = {
    "default": {"BACKEND": _media_backend},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    "closure_archives": _archive_storage,
}

# --- Closing sites (关停上移) -------------------------------------------------------------------
# Scheme of the absolute site addresses written into redirects, notices and the offline report.
ZQ_SITE_SCHEME = os.environ.get("ZQ_SITE_SCHEME", "http")
# The port the public reaches sites on, for links written without a request (e-mails, notices,
# reports); blank: the scheme's default. `./zq demo` sets it to the demo's port.
ZQ_SITE_PORT = os.environ.get("ZQ_SITE_PORT", "")
# A completed closure's redirects are planned to stay this long (until the old domain is cancelled).
ZQ_CLOSURE_REDIRECT_DAYS = int(os.environ.get("ZQ_CLOSURE_REDIRECT_DAYS", 365))
# migrate_schemas skips the schemas of archived (dropped) closed sites.
GET_EXECUTOR_FUNCTION = "tenants.closure.migration_executor.get_executor"

# --- HTTP ------------------------------------------------------------------------------------
# Host validation is done against the Domain table by the tenant middleware, which runs first and
# answers an unknown host with a plain 404. ALLOWED_HOSTS therefore admits any well-formed host by
# default; set ALLOWED_HOSTS to narrow it further (e.g. ".gov.cn,.localhost").
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "*")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# The header middlewares come first: host routing answers unknown hosts (404), closed sites (410) and
# malformed hosts itself, and such an early answer only passes back through what is outside it.
MIDDLEWARE = [
    # Probes and the metrics scrape come by IP with no site host: answered before routing (and
    # before the HTTPS redirect); every other request is only counted here.
    "zhanqun.ops.middleware.OperationsMiddleware",
    "zhanqun.security.SecurityHeadersMiddleware",  # the headers below on Django's own bare 400s too
    "zhanqun.security.SitePolicyCSPMiddleware",  # Content-Security-Policy: public or admin
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.security.SecurityMiddleware",  # HTTPS redirect, nosniff, Referrer-Policy, HSTS
    "tenants.middleware.SiteRoutingMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Whole pages for anonymous visitors, after routing (404/410/301/503 come first), before sessions.
    "tenants.pagecache.middleware.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Audit rows written far from a view (Wagtail's signals) carry the request's client address.
    "audit.middleware.CurrentRequestMiddleware",
    # A session the server ended (password changed, role revoked) is audited when it comes back;
    # before anything reads request.user, which would quietly flush it.
    "identity.middleware.EndedSessionMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "tenants.web.admin_flags.IdentityFlagMiddleware",  # a site's editors see its missing footer identity
    "identity.password_reset.ForcePasswordChangeMiddleware",  # after a reset: choose a password first
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # S3 unreachable while reading or writing a file: 503 with a Chinese message, never a traceback.
    "zhanqun.lib.storage_outage.StorageUnavailableMiddleware",
    # Saving a new page: one at a time per parent, in a transaction (no two with one URL or tree path).
    "tenants.content.serial_creation.SerialPageCreationMiddleware",
]
# Proxies whose X-Forwarded-For is believed (IPs or CIDRs, comma-separated; default: none, so the
# client address is the connection's). See audit.log.client_ip.
ZQ_TRUSTED_PROXIES = env_list("ZQ_TRUSTED_PROXIES")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Wagtail's live preview and page comparison frame the site's own pages: SAMEORIGIN, not DENY.
X_FRAME_OPTIONS = "SAMEORIGIN"
# Content-Security-Policy (see zhanqun.lib.csp for what each policy allows and why).
_csp_media = csp.media_origins(
    media_url=os.environ.get("MEDIA_URL", "/media/"),
    s3_endpoint=os.environ.get("S3_ENDPOINT_URL"),
    s3_bucket=os.environ.get("S3_BUCKET", ""),
    extra=env_list("ZQ_CSP_MEDIA_SRC"),  # e.g. a CDN in front of the media bucket
)
_csp_frames = env_list("ZQ_CSP_FRAME_SRC")  # e.g. "https://v.qq.com,https://player.bilibili.com"
CONTENT_SECURITY_POLICY = {"DIRECTIVES": csp.public_directives(_csp_media, _csp_frames)}
ZQ_CSP_ADMIN_DIRECTIVES = csp.admin_directives(_csp_media, _csp_frames)
ZQ_CSP_ADMIN_PATH_PREFIXES = list(csp.ADMIN_PATH_PREFIXES)

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # The project's overrides of Wagtail admin templates (branding, dashboard).
        "DIRS": [BASE_DIR / "platform" / "zhanqun" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "themes.context_processors.theme",
                "zhanqun.lib.branding.admin_branding",
            ],
        },
    },
]

WSGI_APPLICATION = "zhanqun.wsgi.application"

# --- Auth ------------------------------------------------------------------------------------
AUTH_USER_MODEL = "siteusers.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "identity.validators.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "identity.validators.CharacterClassValidator", "OPTIONS": {"min_classes": 3}},
]
# One identity across the cluster: the password is checked against identity.Account (public
# schema); the user is the current site's own row, so a login counts on this site only.
AUTHENTICATION_BACKENDS = ["identity.backends.AccountBackend"]
ZQ_LOCKOUT_FAILURES = int(os.environ.get("ZQ_LOCKOUT_FAILURES", 5))
ZQ_LOCKOUT_MINUTES = int(os.environ.get("ZQ_LOCKOUT_MINUTES", 15))
# Failed logins allowed per client address (every site together) per window; 0 turns it off.
ZQ_LOGIN_THROTTLE_FAILURES = int(os.environ.get("ZQ_LOGIN_THROTTLE_FAILURES", 20))
ZQ_LOGIN_THROTTLE_SECONDS = int(os.environ.get("ZQ_LOGIN_THROTTLE_SECONDS", 900))
# Same answer for unknown names, wrong passwords and locked accounts; plain words for "no role here".
WAGTAILADMIN_USER_LOGIN_FORM = "identity.forms.LoginForm"
SESSION_COOKIE_AGE = int(os.environ.get("ZQ_SESSION_SECONDS", 8 * 3600))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
LOGIN_URL = "wagtailadmin_login"
# Passwords belong to the account, not to a site's user row: Wagtail's own password change and
# reset screens are off; identity adds its own "修改密码" screen to the account menu.
WAGTAIL_PASSWORD_MANAGEMENT_ENABLED = False
WAGTAIL_PASSWORD_RESET_ENABLED = False

# --- Closing a site (关停上移) -------------------------------------------------------------------
# The closure notice stays up at least this many days (municipal rule); shorter only with a reason.
ZQ_CLOSURE_NOTICE_DAYS = int(os.environ.get("ZQ_CLOSURE_NOTICE_DAYS", 30))
# Execute copies this many pages/files per transaction (each batch commits with its ledger rows) ...
ZQ_CLOSURE_BATCH_SIZE = int(os.environ.get("ZQ_CLOSURE_BATCH_SIZE", 100))
# ... and may pause after each committed batch to spare a busy database (0: no pause).
ZQ_CLOSURE_THROTTLE_SECONDS = float(os.environ.get("ZQ_CLOSURE_THROTTLE_SECONDS", 0))

# --- Language --------------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
# Wagtail strings its own zh_Hans catalogue lacks, and the platform's names for them (compiled .mo committed).
LOCALE_PATHS = [BASE_DIR / "platform" / "locale"]

# --- Wagtail ---------------------------------------------------------------------------------
WAGTAIL_SITE_NAME = "站群平台"
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", f"http://{PLATFORM_DOMAIN}")
# Wagtail's own index (the admin's page search) with Chinese segmented on both sides.
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "sitesearch.admin_backend"}}
# Documents follow the upload rules of zhanqun.lib.uploads (the form base checks content and size)
# and are always downloads: no type is shown inline, Wagtail's serve view adds nosniff and a CSP.
# WAGTAILDOCS_SERVE_METHOD stays unset on purpose: Wagtail then streams local files through that
# view and redirects to a signed URL on S3, whose objects carry ContentType/ContentDisposition.
WAGTAILDOCS_EXTENSIONS = ALLOWED_EXTENSIONS
WAGTAILDOCS_CONTENT_TYPES = CONTENT_TYPES
WAGTAILDOCS_INLINE_CONTENT_TYPES: list[str] = []
WAGTAILDOCS_DOCUMENT_FORM_BASE = "tenants.documents.DocumentForm"
WAGTAIL_I18N_ENABLED = False
WAGTAIL_ENABLE_UPDATE_CHECK = False
# The review chain: a submission waiting longer than this many working days (China's calendar,
# make-up days included) is marked overdue in the 待审核 queue.
ZQ_REVIEW_OVERDUE_WORKING_DAYS = int(os.environ.get("ZQ_REVIEW_OVERDUE_WORKING_DAYS", 2))

# ZQ_LOG_FORMAT=json: one JSON object a line (python-json-logger), what a log collector (Loki,
# Elasticsearch, cloud logging) parses without rules; the default stays readable text for a terminal.
ZQ_LOG_FORMAT = os.environ.get("ZQ_LOG_FORMAT", "text").strip().lower()
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(process)d %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
            "json_ensure_ascii": False,
        },
        "text": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "json" if ZQ_LOG_FORMAT == "json" else "text"}
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
# /metrics: with a token, only ``Authorization: Bearer <token>`` (any host: Prometheus scrapes pods
# by IP); without one, only on the platform console's domain.
ZQ_METRICS_TOKEN = os.environ.get("ZQ_METRICS_TOKEN", "")

# --- Closing a site (关停上移) ----------------------------------------------------------------
# National practice keeps the closure notice up at least 30 days; operators may shorten it per
# closure only with a recorded reason. Redirects are kept until the old domain is cancelled.
ZQ_CLOSURE_NOTICE_DAYS = int(os.environ.get("ZQ_CLOSURE_NOTICE_DAYS", 30))
ZQ_CLOSURE_RETENTION_DAYS = int(os.environ.get("ZQ_CLOSURE_RETENTION_DAYS", 180))
ZQ_CLOSURE_REDIRECT_DAYS = int(os.environ.get("ZQ_CLOSURE_REDIRECT_DAYS", 365))

# --- Search (sitesearch) -----------------------------------------------------------------------
# The engine behind every search (sitesearch.engine); a cluster that outgrows one database plugs in
# another backend here (docs/search.md).
ZQ_SEARCH_BACKEND = os.environ.get("ZQ_SEARCH_BACKEND", "sitesearch.backends.postgres.PostgresBackend")
# Longest query accepted (characters), results per page, matches ranked by relevance (the newest N).
ZQ_SEARCH_MAX_QUERY = int(os.environ.get("ZQ_SEARCH_MAX_QUERY", 50))
ZQ_SEARCH_PAGE_SIZE = int(os.environ.get("ZQ_SEARCH_PAGE_SIZE", 10))
ZQ_SEARCH_RANK_WINDOW = int(os.environ.get("ZQ_SEARCH_RANK_WINDOW", 1000))
# How often a process checks whether the operators changed the user dictionary.
ZQ_SEARCH_DICT_CHECK_SECONDS = int(os.environ.get("ZQ_SEARCH_DICT_CHECK_SECONDS", 30))

# --- Console -----------------------------------------------------------------------------------
# Long work started from a console screen (bulk site import, closure steps): "queue" puts it on the
# task queue for ``manage.py db_worker``; "thread" runs it in a background thread of the web process;
# "inline" in the request (tests). See zhanqun.lib.background.
ZQ_BACKGROUND_RUNNER = os.environ.get("ZQ_BACKGROUND_RUNNER", "queue")
# The dashboard calls a site stale when its newest publication is older than this (national rule:
# the home page must show something new within 2 weeks).
ZQ_STALE_DAYS = int(os.environ.get("ZQ_STALE_DAYS", 14))

# --- Email (notifications of 互动交流) ------------------------------------------------------
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", 25))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", 10))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "noreply@localhost")

# --- Public forms of 互动交流 (interaction.ratelimit, interaction.deadlines) ----------------------
ZQ_INTERACTION_POSTS_PER_WINDOW = int(os.environ.get("ZQ_INTERACTION_POSTS_PER_WINDOW", 5))
ZQ_INTERACTION_WINDOW_SECONDS = int(os.environ.get("ZQ_INTERACTION_WINDOW_SECONDS", 60))
ZQ_DISCLOSURE_WORKING_DAYS = 20  # 《政府信息公开条例》第三十三条
ZQ_ERROR_REPORT_WORKING_DAYS = 3
CAPTCHA_LENGTH = 4
CAPTCHA_TIMEOUT = 10  # minutes
CAPTCHA_IMAGE_SIZE = (120, 40)

# 网站普查 (inspection): national defaults (国办秘函〔2019〕19号), every one configurable.
ZQ_INSPECT_EVERY_HOURS = float(os.environ.get("ZQ_INSPECT_EVERY_HOURS", 1.2))  # ≥ 20 probes a day
# Probe the home pages over HTTP through this base URL (e.g. the load balancer) with each site's Host;
# blank: through the app in the inspecting process.
ZQ_INSPECT_BASE_URL = os.environ.get("ZQ_INSPECT_BASE_URL", "")
# Sites one inspection works on at once (worker threads, each at this CPU niceness so a run yields to
# the public pages; 0: one by one in the caller's thread, as the tests need). One thread inspects
# 1,000 sites in under 3 minutes with in-process probes (./zq bench inspection) and costs the public
# pages least; more threads pay off only when probes wait on HTTP (ZQ_INSPECT_BASE_URL).
ZQ_INSPECT_WORKERS = int(os.environ.get("ZQ_INSPECT_WORKERS", 1))
ZQ_INSPECT_NICE = int(os.environ.get("ZQ_INSPECT_NICE", 19))
# A pass works this share of its time and rests the rest (after each site), unless it has already taken
# ZQ_INSPECT_PASS_MINUTES: 1,000 sites ≈ 3 min of work here → ≈ 7.5 min at 0.4 (inspection.services._pause).
ZQ_INSPECT_DUTY = float(os.environ.get("ZQ_INSPECT_DUTY", 0.4))
ZQ_INSPECT_PASS_MINUTES = float(os.environ.get("ZQ_INSPECT_PASS_MINUTES", 9))
ZQ_INSPECT_PROBE_TIMEOUT = float(os.environ.get("ZQ_INSPECT_PROBE_TIMEOUT", 15))  # seconds to load the home page
ZQ_INSPECT_PROBE_WINDOW_DAYS = int(os.environ.get("ZQ_INSPECT_PROBE_WINDOW_DAYS", 7))
ZQ_INSPECT_PROBE_FAIL_RATIO = float(os.environ.get("ZQ_INSPECT_PROBE_FAIL_RATIO", 0.05))
ZQ_INSPECT_HOME_DAYS = int(os.environ.get("ZQ_INSPECT_HOME_DAYS", 14))
ZQ_INSPECT_NEWS_DAYS = int(os.environ.get("ZQ_INSPECT_NEWS_DAYS", 14))
ZQ_INSPECT_NOTICES_DAYS = int(os.environ.get("ZQ_INSPECT_NOTICES_DAYS", 183))
ZQ_INSPECT_STALE_COLUMNS = int(os.environ.get("ZQ_INSPECT_STALE_COLUMNS", 5))
ZQ_INSPECT_NOT_UPDATED_COLUMNS = int(os.environ.get("ZQ_INSPECT_NOT_UPDATED_COLUMNS", 10))
ZQ_INSPECT_EMPTY_COLUMNS = int(os.environ.get("ZQ_INSPECT_EMPTY_COLUMNS", 5))
ZQ_INSPECT_UNANSWERED_MONTHS = int(os.environ.get("ZQ_INSPECT_UNANSWERED_MONTHS", 3))
ZQ_INSPECT_PASS_SCORE = int(os.environ.get("ZQ_INSPECT_PASS_SCORE", 60))
ZQ_INSPECT_CLOSURE_FAILED_RUNS = int(os.environ.get("ZQ_INSPECT_CLOSURE_FAILED_RUNS", 3))
ZQ_INSPECT_CLOSURE_IDLE_DAYS = int(os.environ.get("ZQ_INSPECT_CLOSURE_IDLE_DAYS", 180))

# A consultation/message column's inspection window (the 12 months before the check) and the local
# answer limit in working days (local rules set 5–15; the national veto is the 3 months above). Each
# message answered (or still open) past the limit deducts a point, up to the cap.
ZQ_INSPECT_INTERACTION_WINDOW_MONTHS = int(os.environ.get("ZQ_INSPECT_INTERACTION_WINDOW_MONTHS", 12))
ZQ_INSPECT_ANSWER_WORKING_DAYS = int(os.environ.get("ZQ_INSPECT_ANSWER_WORKING_DAYS", 15))
ZQ_INSPECT_SLOW_ANSWER_MAX_POINTS = int(os.environ.get("ZQ_INSPECT_SLOW_ANSWER_MAX_POINTS", 5))
# 服务不实用 (2019): no service offered at all, or this many live guides missing a required element,
# or this many service entries (/banshi/ and its links) that do not open, fail the site.
ZQ_INSPECT_REQUIRE_SERVICES = env_bool("ZQ_INSPECT_REQUIRE_SERVICES", True)
ZQ_INSPECT_INCOMPLETE_GUIDES = int(os.environ.get("ZQ_INSPECT_INCOMPLETE_GUIDES", 1))
ZQ_INSPECT_DEAD_SERVICE_ENTRIES = int(os.environ.get("ZQ_INSPECT_DEAD_SERVICE_ENTRIES", 1))
# External links: checked by their own cluster-wide pass (inspection.external), each URL once per
# pass for every site, a result reused for the TTL; a few threads; loopback/private addresses are
# never requested unless allowed (tests and intranet-only clusters).
ZQ_INSPECT_EXTERNAL_EVERY_HOURS = float(os.environ.get("ZQ_INSPECT_EXTERNAL_EVERY_HOURS", 24))
ZQ_INSPECT_EXTERNAL_TTL_HOURS = float(os.environ.get("ZQ_INSPECT_EXTERNAL_TTL_HOURS", 20))
ZQ_INSPECT_EXTERNAL_TIMEOUT = float(os.environ.get("ZQ_INSPECT_EXTERNAL_TIMEOUT", 5))
ZQ_INSPECT_EXTERNAL_WORKERS = int(os.environ.get("ZQ_INSPECT_EXTERNAL_WORKERS", 8))
ZQ_INSPECT_EXTERNAL_ALLOW_PRIVATE = env_bool("ZQ_INSPECT_EXTERNAL_ALLOW_PRIVATE")
# Closure evidence from visits (tenants.visits counts anonymous page views; *inferred* default).
ZQ_INSPECT_CLOSURE_VISITS_DAYS = int(os.environ.get("ZQ_INSPECT_CLOSURE_VISITS_DAYS", 90))
ZQ_INSPECT_CLOSURE_MIN_DAILY_VISITS = float(os.environ.get("ZQ_INSPECT_CLOSURE_MIN_DAILY_VISITS", 10))
ZQ_COUNT_VISITS = env_bool("ZQ_COUNT_VISITS", True)
ZQ_VISITS_FLUSH_SECONDS = float(os.environ.get("ZQ_VISITS_FLUSH_SECONDS", 5))  # memory → shared counters

# 年度报表 (annualreports): the CJK TrueType font embedded in the PDF downloads (Debian's fonts-wqy-zenhei,
# installed by the Dockerfile); when the file is missing the PDF uses reportlab's built-in STSong-Light.
ZQ_REPORT_FONT = os.environ.get("ZQ_REPORT_FONT", "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")
