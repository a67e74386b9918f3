"""Write a strategy's IATI 2.03 activity XML."""

from django.core.management.base import BaseCommand, CommandError

from reports.builders import iati_build
from reports.management.commands._export import output_write, strategy_get
from reports.render.iati import IatiInvalid, iati_xml


class Command(BaseCommand):
    help = (
        "Write the Danish contribution under a strategy as an IATI 2.03 activity file, checked "
        "against the IATI schema. Illustrative records are left out unless "
        "--include-illustrative is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug", help="Slug of the strategy, e.g. iom-2023-2026.")
        parser.add_argument("--output", required=True, help="The XML file to write.")
        parser.add_argument(
            "--include-illustrative",
            action="store_true",
            help="Keep illustrative demo records, each saying so (never for publication).",
        )

    def handle(self, *args, **options):
        strategy = strategy_get(options["slug"])
        activity = iati_build(
            strategy=strategy, include_illustrative=options["include_illustrative"]
        )
        try:
            content = iati_xml(activity)
        except IatiInvalid as error:
            raise CommandError(f"The IATI file does not validate: {error}") from error
        target = output_write(options["output"], content)
        self.stdout.write(self.style.SUCCESS(f"Wrote {activity.identifier} to {target}."))
        if activity.partner_ref_missing:
            self.stderr.write(self.style.WARNING(activity.partner_ref_missing))
        if activity.left_out:
            self.stdout.write(
                f"{activity.left_out} illustrative record{'s' if activity.left_out != 1 else ''} "
                "left out (--include-illustrative keeps them)."
            )
