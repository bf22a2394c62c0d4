"""Email each site's staff the list of its overdue interaction items (the scheduler runs it daily)."""

from django.core.management.base import BaseCommand

from interaction.overdue import remind_overdue


class Command(BaseCommand):
    help = "向各站点工作人员发送互动事项逾期提醒"

    def handle(self, *args, **options):
        reminded = remind_overdue(log=self.stdout.write)
        self.stdout.write(f"已提醒 {reminded} 个站点")
