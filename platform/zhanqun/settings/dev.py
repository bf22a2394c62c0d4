"""Developer laptop / demo settings.

DEBUG stays off by default so the demo shows what visitors see (the site's themed 404 page, not
Django's English debug page); ``DEBUG=1 ./zq demo`` brings the debug pages back. Static files are
served by WhiteNoise straight from the apps' folders (no collectstatic, no manifest), with or
without DEBUG.
"""

from .base import *  # noqa: F401,F403

DEBUG = env_bool("DEBUG", False)  # noqa: F405
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
