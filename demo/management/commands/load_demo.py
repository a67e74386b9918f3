"""Add illustrative demo data and demo logins to a strategy loaded from its fixture."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from demo.loader import DemoError, demo_load, demo_password_generate
from priorities.models import Strategy

DEFAULT_STRATEGY = "iom-2023-2026"


class Command(BaseCommand):
    help = (
        "Add an illustrative history up to a date (indicators, progress, the yearly approvals, "
        "funding, risk reviews, consultations, action points and held milestones) and five "
        "demo users to a loaded strategy. The same date gives the same data. Safe to run "
        "again: nothing is added twice, nothing that exists is changed, and the demo users get "
        "the password printed at the end."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--password",
            help="Password for all five demo users (default: a new random one on every run).",
        )
        parser.add_argument(
            "--as-of",
            type=datetime.date.fromisoformat,
            default=None,
            metavar="YYYY-MM-DD",
            help="Date the history runs to (default: today), kept inside the strategy period "
            "and never after today.",
        )
        parser.add_argument(
            "--strategy",
            default=DEFAULT_STRATEGY,
            help=f"Slug of the strategy to add the demo data to (default: {DEFAULT_STRATEGY}).",
        )

    def handle(self, *args, **options):
        slug = options["strategy"]
        strategy = Strategy.objects.filter(slug=slug).first()
        if strategy is None:
            raise CommandError(
                f'There is no strategy "{slug}". '
                "Load the strategy first: manage.py loaddata iom_2023_2026"
            )
        password = options["password"] or demo_password_generate()
        try:
            report = demo_load(strategy=strategy, password=password, as_of=options["as_of"])
        except DemoError as error:
            raise CommandError(str(error)) from error

        self.stdout.write(f"Illustrative demo data for {strategy}, as of {report.as_of}:")
        width = max(len(label) for label in report.labels)
        for label in report.labels:
            counts = (
                f"{report.created[label]:>3} created, "
                f"{report.updated[label]:>3} updated, "
                f"{report.present[label]:>3} already present"
            )
            self.stdout.write(f"  {label:<{width}}  {counts}")
        total = sum(report.created.values())
        self.stdout.write(
            self.style.SUCCESS(f"{total} records created.") if total else "Nothing new to create."
        )

        self.stdout.write("")
        self.stdout.write("Demo logins (the same password for all five):")
        rows = [("Username", "Role", "Password")]
        rows += [(login.username, login.role, login.password) for login in report.logins]
        widths = [max(len(row[column]) for row in rows) for column in range(3)]
        for row in rows:
            self.stdout.write(
                "  "
                + "  ".join(f"{cell:<{w}}" for cell, w in zip(row, widths, strict=True)).rstrip()
            )
