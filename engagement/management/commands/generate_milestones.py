"""Generate a strategy's milestones from its period and the engagement rhythm."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from engagement.services import milestones_generate
from priorities.models import Strategy


class Command(BaseCommand):
    help = (
        "Plan the milestones of a strategy's rhythm that are not there yet: consultations, "
        "allocation dialogues, governing-body sessions, parliamentary approvals, annual reports "
        "and the mid-term review. Running it again adds nothing and changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug", help="The strategy's slug, e.g. iom-2023-2026.")
        parser.add_argument(
            "--first-high-level-year",
            type=int,
            default=None,
            help="Year of the first high-level consultation (default: the period's first year).",
        )
        parser.add_argument(
            "--restore-deleted",
            action="store_true",
            help="Also generate again the milestones that someone deleted.",
        )

    def handle(self, *args, slug, first_high_level_year, restore_deleted, **options):
        strategy = Strategy.objects.select_related("organisation").filter(slug=slug).first()
        if strategy is None:
            raise CommandError(f"No strategy with the slug “{slug}”.")
        try:
            result = milestones_generate(
                strategy=strategy,
                first_high_level_year=first_high_level_year,
                restore_deleted=restore_deleted,
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        for milestone in result.created:
            owner = milestone.owner.username if milestone.owner else "no owner"
            self.stdout.write(f"  {milestone.due_on:%Y-%m-%d}  {milestone.title}  ({owner})")
        self.stdout.write(
            self.style.SUCCESS(
                f"{strategy.slug}: {len(result.created)} milestones generated, "
                f"{result.existing} already planned, {len(result.deleted_keys)} deleted earlier "
                "and not brought back."
            )
        )
