"""Remove the exports and imports whose day is over, with their files."""

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django_tasks import default_task_backend

from reports.jobs import job_prune

# The task backend's own records of finished tasks are kept this many days (the jobs say the rest).
TASK_RESULTS_KEPT_DAYS = 2


class Command(BaseCommand):
    help = (
        "Remove the jobs (exports and imports) kept past their day, and their files; a job that "
        "never finished is removed after a week. With the database task backend, its records of "
        f"tasks finished more than {TASK_RESULTS_KEPT_DAYS} days ago go too."
    )

    def handle(self, *args, **options):
        removed = job_prune()
        self.stdout.write(f"Removed {removed} expired job(s) and their files.")
        if type(default_task_backend).__name__ == "DatabaseBackend":
            call_command(
                "prune_db_task_results",
                "--min-age-days",
                str(TASK_RESULTS_KEPT_DAYS),
                stdout=self.stdout,
                stderr=self.stderr,
            )
