"""Add illustrative strategies until the portfolio holds a given number, to measure at scale."""

import re
import time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.dateparse import parse_date

from demo.portfolio import DEFAULT_PREFIX, DEFAULT_SEED, PortfolioSizes, portfolio_generate

PREFIX_RE = re.compile(r"[a-z][a-z0-9-]{0,19}")


class Command(BaseCommand):
    help = (
        "Add generated, illustrative strategies until the database holds --strategies "
        "strategies in all: each with its own partner, 4-10 priority areas, about 100 "
        "indicators with four years of figures, 30 risks with re-ratings, 200 disbursements, "
        "meetings, action points and a team. Meant for measuring the application at scale, "
        "never for a database that holds real data. The same --seed gives the same data."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--strategies",
            type=int,
            required=True,
            help="How many strategies the database should hold in all, the existing included.",
        )
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
        parser.add_argument(
            "--as-of",
            default=None,
            help="The date the data is as of, YYYY-MM-DD (default: today). Later years get "
            "targets but no actuals, approvals or payments.",
        )
        parser.add_argument(
            "--prefix",
            default=DEFAULT_PREFIX,
            help=f"Start of the generated slugs and user names (default: {DEFAULT_PREFIX}).",
        )
        defaults = PortfolioSizes()
        parser.add_argument("--areas-min", type=int, default=defaults.areas_min)
        parser.add_argument("--areas-max", type=int, default=defaults.areas_max)
        parser.add_argument("--indicators", type=int, default=defaults.indicators)
        parser.add_argument("--risks", type=int, default=defaults.risks)
        parser.add_argument("--disbursements", type=int, default=defaults.disbursements)
        parser.add_argument("--meetings", type=int, default=defaults.meetings)

    def handle(self, *args, **options):
        if not PREFIX_RE.fullmatch(options["prefix"]):
            raise CommandError(
                "--prefix takes 1 to 20 lower-case letters, digits and hyphens, from a letter."
            )
        as_of = timezone.localdate()
        if options["as_of"]:
            as_of = parse_date(options["as_of"])
            if as_of is None:
                raise CommandError("--as-of takes a date written YYYY-MM-DD.")
        try:
            sizes = PortfolioSizes(
                areas_min=options["areas_min"],
                areas_max=options["areas_max"],
                indicators=options["indicators"],
                risks=options["risks"],
                disbursements=options["disbursements"],
                meetings=options["meetings"],
            )
        except ValueError as error:
            raise CommandError(str(error)) from error

        started = time.perf_counter()
        report = portfolio_generate(
            strategies=options["strategies"],
            seed=options["seed"],
            sizes=sizes,
            as_of=as_of,
            prefix=options["prefix"],
        )
        elapsed = time.perf_counter() - started
        if report.present:
            self.stdout.write(f"Already generated: {', '.join(report.present)}.")
        if not report.created:
            self.stdout.write("The portfolio already holds that many strategies; nothing added.")
            return
        width = max(len(label) for label in report.rows)
        for label, count in report.rows.items():
            self.stdout.write(f"  {label:<{width}}  {count:>7}")
        self.stdout.write(
            self.style.SUCCESS(
                f"{len(report.created)} illustrative strategies generated "
                f"({report.created[0]} to {report.created[-1]}), "
                f"{sum(report.rows.values())} records, in {elapsed:.1f} s."
            )
        )
