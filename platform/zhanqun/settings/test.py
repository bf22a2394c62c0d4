"""Test settings: fast hasher, local cache, immediate tasks (bakerydemo's recipe)."""

from .base import *  # noqa: F401,F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
WAGTAILADMIN_BASE_URL = "http://platform.localhost"
# django-simple-captcha accepts the answer "PASSED" in tests (a wrong answer is still refused; a
# test turns test mode off to prove it). Never set in production.
CAPTCHA_TEST_MODE = True
