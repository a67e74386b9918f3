"""Create or update a whole strategy from a monitoring workbook."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from reports.importers import WorkbookRefused, workbook_import


class Command(BaseCommand):
    help = (
        "Create or update a strategy, its structure and its data, from a workbook of the layout "
        "export_workbook writes. Everything is checked first; the workbook is imported "
        "completely or not at all, and every problem is listed with sheet, row and column."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The XLSX workbook to import.")
        parser.add_argument("--user", help="User name recorded in the change history.")
        parser.add_argument(
            "--check", action="store_true", help="Only check the workbook; change nothing."
        )

    def handle(self, *args, **options):
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Could not read {path}: {error.strerror or error}.") from error
        user = None
        if options["user"]:
            user = get_user_model().objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f'There is no user "{options["user"]}".')
        try:
            result = workbook_import(data=data, user=user, dry_run=options["check"])
        except WorkbookRefused as refusal:
            for problem in refusal.problems:
                self.stderr.write(str(problem))
            count = len(refusal.problems)
            raise CommandError(
                f"{path.name} was not imported: {count} problem{'s' if count != 1 else ''}. "
                "Nothing was changed."
            ) from refusal
        for warning in result.warnings:
            self.stdout.write(self.style.WARNING(str(warning)))
        self.stdout.write(self.style.SUCCESS(result.summary()))
