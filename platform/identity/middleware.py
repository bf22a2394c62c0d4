"""Audit sessions the server has ended when they come back, then forget them.

Django drops a session whose hash no longer verifies (password changed, role granted again) but
says nothing; a session of a user who lost their role is merely not logged in. This middleware
notices both (a session naming a user, yet no user logged in), records ``session_revoked`` with
the client address and flushes the session so it is recorded once.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth import SESSION_KEY
from django.http import HttpRequest, HttpResponse

from identity.sessions import audit_ended_session, session_user_id


class EndedSessionMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user_id = session_user_id(request)
        if user_id is not None and not request.user.is_authenticated:
            audit_ended_session(request, user_id)
            if SESSION_KEY in request.session:
                request.session.flush()
        return self.get_response(request)
