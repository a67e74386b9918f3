"""Write a strategy's annual consultation brief for one year as PDF."""

import datetime

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from engagement.models import Meeting
from reports.builders import brief_build
from reports.management.commands._export import (
    language_argument_add,
    language_get,
    output_write,
    strategy_get,
)
from reports.render.pdf import brief_pdf


class Command(BaseCommand):
    help = "Write the annual consultation brief of a strategy for one year as an A4 PDF."

    def add_arguments(self, parser):
        parser.add_argument("slug", help="Slug of the strategy, e.g. iom-2023-2026.")
        parser.add_argument("--year", type=int, required=True, help="The year the brief reports.")
        parser.add_argument("--output", required=True, help="The PDF file to write.")
        parser.add_argument(
            "--as-of",
            "--date",
            dest="as_of",
            type=datetime.date.fromisoformat,
            help=(
                "Read the brief as of this date (YYYY-MM-DD), such as the date of the meeting "
                "it is made for; only what is dated on or before it counts. Default: today. A "
                "date later than today is refused."
            ),
        )
        parser.add_argument(
            "--annex",
            action="store_true",
            help="Add the annex: the strategy's chapters, the frameworks and all indicators.",
        )
        parser.add_argument(
            "--meeting",
            type=int,
            help="Prepare the brief for this meeting of the strategy (its id): its key messages.",
        )
        language_argument_add(parser)

    def handle(self, *args, **options):
        strategy = strategy_get(options["slug"])
        language = language_get(options["language"])
        meeting = None
        if options["meeting"] is not None:
            meeting = Meeting.objects.filter(strategy=strategy, pk=options["meeting"]).first()
            if meeting is None:
                raise CommandError(f"{strategy.slug} has no meeting {options['meeting']}.")
        try:
            with translation.override(language):
                brief = brief_build(
                    strategy=strategy,
                    year=options["year"],
                    as_of=options["as_of"],
                    annex=options["annex"],
                    meeting=meeting,
                )
                content = brief_pdf(brief)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        except ValueError as error:
            raise CommandError(str(error)) from error
        target = output_write(options["output"], content)
        self.stdout.write(
            self.style.SUCCESS(f"Wrote {brief.title} of {strategy.slug} to {target}.")
        )
