"""Run the daily jobs in sequence: what the daily systemd timer starts."""

import logging

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

logger = logging.getLogger("strategy_monitor.jobs")

# Each job runs even when one before it failed; the run fails if any did.
DAILY_JOBS: tuple[tuple[str, ...], ...] = (
    ("clearsessions",),
    ("purge_personal_data",),
    ("send_reminders",),
    ("prune_jobs",),
)


class Command(BaseCommand):
    help = (
        "Run the daily jobs in sequence: "
        + ", ".join(" ".join(job) for job in DAILY_JOBS)
        + ". Each runs even if one before it failed; the command fails if any did."
    )

    def handle(self, *args, **options):
        failed = []
        for name, *arguments in DAILY_JOBS:
            self.stdout.write(f"Running {name} …")
            try:
                call_command(name, *arguments, stdout=self.stdout, stderr=self.stderr)
            except Exception:  # one failed job must not stop the others
                # Logged as an error, so it reaches the error e-mails and the error tracker.
                logger.exception("Daily job %s failed", name)
                failed.append(name)
        if failed:
            raise CommandError(f"Daily jobs failed: {', '.join(failed)}")
        self.stdout.write(self.style.SUCCESS("Daily jobs done."))
