"""Delete personal data past its retention; list (or anonymise) departed users."""

from django.conf import settings
from django.core.management.base import BaseCommand

from strategy_monitor.personal_data import departed_users, login_records_purge, user_anonymise


class Command(BaseCommand):
    help = (
        "Delete login attempt records older than LOGIN_ATTEMPT_RETENTION_DAYS and expired "
        "sessions; list the departed (inactive) users whose last login is older than "
        "PERSONAL_DATA_RETENTION_DAYS, and with --anonymise anonymise them. Run daily."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--anonymise",
            action="store_true",
            help="Anonymise the departed users past the retention instead of listing them.",
        )

    def handle(self, *args, anonymise: bool, **options):
        purged = login_records_purge()
        self.stdout.write(
            f"Deleted {purged.login_attempts} login attempt record(s) older than "
            f"{settings.LOGIN_ATTEMPT_RETENTION_DAYS} days and {purged.sessions} expired "
            "session(s)."
        )
        departed = list(departed_users())
        if not departed:
            self.stdout.write(
                f"No departed user is past the retention of "
                f"{settings.PERSONAL_DATA_RETENTION_DAYS} days."
            )
            return
        for user in departed:
            if anonymise:
                user_anonymise(user=user)
                self.stdout.write(f"Anonymised user {user.pk}.")
            else:
                self.stdout.write(
                    f"Departed user {user.pk} ({user.username}), last seen "
                    f"{user.last_seen:%Y-%m-%d}, is past the retention."
                )
        if not anonymise:
            self.stdout.write(
                "Anonymise them with --anonymise, or in the admin's list of users "
                '("Anonymise departed users").'
            )
