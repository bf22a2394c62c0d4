"""Email each site's staff the list of its overdue interaction items (run daily from cron)."""

from django.core.management.base import BaseCommand

from interaction.notifications import notify_staff_overdue
from interaction.overdue import overdue_items
from tenants.models import Site


class Command(BaseCommand):
    help = "向各站点工作人员发送互动事项逾期提醒"

    def handle(self, *args, **options):
        sent = 0
        for site in Site.objects.exclude(schema_name="public"):
            items = list(overdue_items([site]))
            if items and notify_staff_overdue(site, items):
                sent += 1
                self.stdout.write(f"{site.slug}: {len(items)}")
        self.stdout.write(f"已提醒 {sent} 个站点")
