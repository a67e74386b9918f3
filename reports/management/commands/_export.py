"""Shared parts of the export commands: find the strategy, write the file."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import CommandError

from priorities.models import Strategy
from reports.languages import export_language


def language_argument_add(parser) -> None:
    """Add --language: the language of the file's fixed wording."""
    parser.add_argument(
        "--language",
        default="",
        help=(
            "Write the file's headings and fixed wording in this language: "
            + ", ".join(code for code, _ in settings.LANGUAGES)
            + f" (default: {settings.LANGUAGE_CODE}). The strategy's own texts stay as written."
        ),
    )


def language_get(raw: str) -> str:
    """Return the language code `raw` names (default: the site's), or stop with a message."""
    if not raw:
        return settings.LANGUAGE_CODE
    language = export_language(raw)
    if language is None:
        known = ", ".join(code for code, _ in settings.LANGUAGES)
        raise CommandError(f'There is no language "{raw}": use one of {known}.')
    return language


def strategy_get(slug: str) -> Strategy:
    """Return the strategy `slug` with its partner, or stop the command with a message."""
    strategy = Strategy.objects.select_related("organisation").filter(slug=slug).first()
    if strategy is None:
        raise CommandError(f'There is no strategy "{slug}".')
    return strategy


def output_write(path: str, content: bytes) -> Path:
    """Write `content` to `path`, creating no folders; stop with a message if it fails."""
    target = Path(path)
    try:
        target.write_bytes(content)
    except OSError as error:
        raise CommandError(f"Could not write {target}: {error.strerror or error}.") from error
    return target
