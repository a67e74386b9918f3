"""E-mail each user what became due soon or overdue; meant for a daily cron job."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from engagement.services import REMINDER_DAYS, reminders_send


class Command(BaseCommand):
    help = (
        f"E-mail each user the items that became due within {REMINDER_DAYS} days or overdue "
        "since the last run: years to submit, risk reviews, action points, allocation "
        "decisions and milestones. Each reminder is sent once per item and stage. Run daily, "
        "e.g. from cron: 0 7 * * * python manage.py send_reminders"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--base-url",
            default=getattr(settings, "SITE_URL", ""),
            help="Address of the site, put in front of the links in the e-mails, "
            "e.g. https://monitor.example.org (default: the SITE_URL setting).",
        )

    def handle(self, *args, base_url, **options):
        today = timezone.localdate()
        run = reminders_send(today=today, base_url=base_url)
        for mail in run.mails:
            self.stdout.write(f"To {mail.address} ({mail.user.username}):")
            for line in mail.lines:
                stage = "overdue" if line.is_overdue else "due soon"
                self.stdout.write(
                    f"  [{stage}] {line.item.due_on:%Y-%m-%d} {line.item.kind_label}: "
                    f"{line.item.title[:100]}"
                )
        mails = len(run.mails)
        reminders = sum(len(mail.lines) for mail in run.mails)
        self.stdout.write(
            self.style.SUCCESS(
                f"{today:%Y-%m-%d}: sent {mails} e-mail{'s' if mails != 1 else ''} "
                f"with {reminders} reminder{'s' if reminders != 1 else ''}."
            )
        )
        if run.failures:
            for user, error in run.failures:
                self.stderr.write(f"Could not remind {user.username}: {error}")
            raise CommandError(f"{len(run.failures)} reminder e-mails could not be sent.")
