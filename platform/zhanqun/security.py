"""The security headers every answer carries, whoever gives it.

These middlewares come *before* host routing in ``MIDDLEWARE``: routing answers unknown hosts (404),
closed sites (410) and malformed hosts itself, and an answer given early only passes back through
the middlewares outside it. Placed first, they also see every 400 and 500 Django makes.
"""

from __future__ import annotations

from dataclasses import asdict

from csp.constants import HEADER
from csp.middleware import CheckableLazyObject, CSPMiddleware, PolicyParts
from csp.utils import build_policy, default_config
from django.conf import settings
from django.http import HttpRequest, HttpResponseBase
from django.middleware.security import SecurityMiddleware


class SecurityHeadersMiddleware(SecurityMiddleware):
    """SecurityMiddleware's response headers only (nosniff, Referrer-Policy, HSTS, COOP), outermost.

    The stock SecurityMiddleware stays in ``MIDDLEWARE`` (it redirects to HTTPS, and Django's deploy
    checks look for it by name). This copy catches the one answer it cannot dress: when its own HTTPS
    redirect meets a malformed Host header, it raises, and Django answers a bare 400 from outside it."""

    def process_request(self, request: HttpRequest) -> None:
        return None


class SitePolicyCSPMiddleware(CSPMiddleware):
    """django-csp with two policies: ``CONTENT_SECURITY_POLICY`` for public pages and
    ``ZQ_CSP_ADMIN_DIRECTIVES`` under ``ZQ_CSP_ADMIN_PATH_PREFIXES``.

    Unlike stock django-csp, DEBUG's technical 404/500 pages are not left without a policy: they get
    the admin's (their inline CSS and JS need it). Views can still use django-csp's decorators."""

    def process_response(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        if HEADER not in response and not getattr(response, "_csp_exempt", False):
            policy = build_policy(**asdict(self.get_policy_parts(request=request, response=response)))
            if policy:
                response[HEADER] = policy
        if getattr(request, "_csp_nonce", None) is None:  # a nonce asked for now would not be in the header
            request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response

    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if parts.config is None and not report_only:
            parts.config = default_config(self._directives_for(request, response))
        return parts

    @staticmethod
    def _directives_for(request: HttpRequest, response: HttpResponseBase) -> dict:
        technical_page = settings.DEBUG and response.status_code in (404, 500)
        if technical_page or request.path_info.startswith(tuple(settings.ZQ_CSP_ADMIN_PATH_PREFIXES)):
            return settings.ZQ_CSP_ADMIN_DIRECTIVES
        return settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
