"""Write a strategy's monitoring workbook as XLSX."""

from django.core.management.base import BaseCommand
from django.utils import translation

from reports.builders import workbook_build
from reports.management.commands._export import (
    language_argument_add,
    language_get,
    output_write,
    strategy_get,
)
from reports.render.xlsx import workbook_xlsx


class Command(BaseCommand):
    help = "Write the monitoring workbook of a strategy (every sheet, every year) as XLSX."

    def add_arguments(self, parser):
        parser.add_argument("slug", help="Slug of the strategy, e.g. iom-2023-2026.")
        parser.add_argument("--output", required=True, help="The XLSX file to write.")
        language_argument_add(parser)

    def handle(self, *args, **options):
        strategy = strategy_get(options["slug"])
        with translation.override(language_get(options["language"])):
            content = workbook_xlsx(workbook_build(strategy=strategy))
        target = output_write(options["output"], content)
        self.stdout.write(self.style.SUCCESS(f"Wrote the workbook of {strategy.slug} to {target}."))
