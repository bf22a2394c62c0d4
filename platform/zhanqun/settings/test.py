"""Test settings: fast hasher, local cache, immediate tasks (bakerydemo's recipe)."""

import os

from .base import *  # noqa: F401,F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Tasks run immediately in tests; the worker's own tests switch to the real queue (jobs.backend) in
# the test process and start ``db_worker`` with ZQ_TEST_TASKS_BACKEND naming it.
_IMMEDIATE = "django_tasks.backends.immediate.ImmediateBackend"
TASKS = {"default": {"BACKEND": os.environ.get("ZQ_TEST_TASKS_BACKEND", _IMMEDIATE)}}
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
WAGTAILADMIN_BASE_URL = "http://platform.localhost"
# django-simple-captcha accepts the answer "PASSED" in tests (a wrong answer is still refused; a
# test turns test mode off to prove it). Never set in production.
CAPTCHA_TEST_MODE = True
# Inspections run in the test's own thread: worker threads have their own connections and could not
# see (nor roll back) the test's transaction.
ZQ_INSPECT_WORKERS = 0
ZQ_INSPECT_DUTY = 1.0  # no rest between sites (a test asks for it when it tests it)
