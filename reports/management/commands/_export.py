"""Shared parts of the export commands: find the strategy, write the file."""

from pathlib import Path

from django.core.management.base import CommandError

from priorities.models import Strategy


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
