"""Named hooks through which an app tells a lower layer about itself, without being imported.

The apps stand on each other in one direction: `strategy_monitor` < `priorities` < `funding` |
`risks` | `engagement` < `reports` < `demo`. When a lower layer must know about a higher one
(what is due for a user, whether a year holds data, which sections a strategy's set-up and
overview show), the lower layer declares a `Hook` next to the code that reads it, and each
higher app registers into it from its `AppConfig.ready()`, as NetBox's apps fill
`netbox/registry.py` with their search indexes and features:

    # priorities/registry.py
    due_sources: Hook[DueSource] = Hook("due_sources", "What each app has due for a user.")

    # funding/apps.py
    class FundingConfig(AppConfig):
        def ready(self):
            from funding.selectors import allocation_rounds_due
            from priorities.registry import due_sources

            due_sources.register(allocation_rounds_due)

The lower layer reads the hook by iterating over it. Every app is ready before the first request
or command runs, so a hook is complete whenever a page or a service reads it.
"""

from collections.abc import Iterator
from typing import Generic, TypeVar

T = TypeVar("T")


class Hook(Generic[T]):
    """An ordered collection of callables or plain objects that the apps above register into.

    Entries are read by `order`, then in the order they were registered (that of
    `INSTALLED_APPS`). Registering an equal entry again changes nothing, so that an app's
    `ready()` may safely run twice.
    """

    def __init__(self, name: str, description: str) -> None:
        self.name = name
        self.description = description
        self._entries: list[tuple[int, int, T]] = []

    def register(self, entry: T, *, order: int = 0) -> T:
        """Add `entry` at `order` (lower first) and return it, so that it can decorate."""
        if not any(existing == entry for _, _, existing in self._entries):
            self._entries.append((order, len(self._entries), entry))
            self._entries.sort(key=lambda item: item[:2])
        return entry

    def unregister(self, entry: T) -> None:
        """Take `entry` out again; a test that planted one removes it with this."""
        self._entries = [item for item in self._entries if item[2] != entry]

    def __iter__(self) -> Iterator[T]:
        return iter([entry for _, _, entry in self._entries])

    def __len__(self) -> int:
        return len(self._entries)

    def __repr__(self) -> str:
        return f"<Hook {self.name}: {len(self)} registered>"
