"""What the closure commands share: finding the closure of a site, the actor's name, and turning
a service's ``ValidationError`` into a ``CommandError`` with its Chinese message."""

from __future__ import annotations

import getpass
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from tenants.closure.models import Closure
from tenants.models import Site


def cli_actor() -> str:
    return f"cli:{getpass.getuser()}"


def find_closure(site_slug: str, statuses: Iterable[str]) -> Closure:
    """The newest closure of the site ``site_slug`` in one of ``statuses``, or a clear error."""
    site = Site.objects.filter(slug=site_slug).first()
    if site is None:
        raise CommandError(_("没有代号为“%s”的站点。") % site_slug)
    closure = site.closures.filter(status__in=list(statuses)).select_related("site", "target").first()
    if closure is None:
        latest = site.closures.first()
        state = latest.get_status_display() if latest else _("无关停任务")
        raise CommandError(
            _("站点“%(site)s”没有可执行此操作的关停任务（当前：%(state)s）。") % {"site": site.name, "state": state}
        )
    return closure


def command_error(exc: ValidationError) -> CommandError:
    return CommandError("；".join(exc.messages))
