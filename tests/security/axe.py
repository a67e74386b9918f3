"""Checking a page in the browser against WCAG 2.1 A and AA with axe-core, and keeping the tally.

axe-core comes from node_modules (package.json pins it; `make install` installs it) and is
evaluated in the page by Playwright, which the page's Content Security Policy does not govern:
the policy itself stays as strict as in production, and a script it refuses is still reported
by the walk. Only the rules tagged for WCAG 2.0 and 2.1 at levels A and AA run, and only
violations are reported: axe's "incomplete" results (what it cannot decide, such as text over an
image) are left to the keyboard and reading checks beside it.

The record the accessibility page reports is renewed from a full, clean run of the walk:

    A11Y_RECORD=strategy_monitor/accessibility_check.json \
        python -m pytest -m browser tests/security/test_page_walk.py
"""

import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path

from django.conf import settings

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")
STANDARD = "WCAG 2.1 A and AA"
# Rules left out on a given page, each with its reason: (page's path prefix, rule id) → why.
# None today. Add one only for a finding that is a false positive, saying why it is one.
EXCLUDED: dict[tuple[str, str], str] = {}
# How many of a rule's elements a report names; the count says how many there were.
SHOWN = 5
RUN = """
async (tags) => {
    const results = await axe.run(document, {
        runOnly: {type: "tag", values: tags},
        resultTypes: ["violations"],
    });
    return {
        version: axe.version,
        violations: results.violations.map((rule) => ({
            id: rule.id,
            impact: rule.impact,
            help: rule.help,
            targets: rule.nodes.map((node) => node.target.join(" ")),
        })),
    };
}
"""


@cache
def axe_source() -> str:
    """Return axe-core's script, or fail with how to install it."""
    if not AXE.exists():
        raise RuntimeError(f"axe-core is not installed at {AXE}: run make install (npm ci).")
    return AXE.read_text(encoding="utf-8")


@dataclass
class AxeRecord:
    """What the walk's axe runs checked and found, as the accessibility page reports it."""

    version: str = ""
    pages: set[str] = field(default_factory=set)
    checks: int = 0
    languages: list[str] = field(default_factory=list)
    widths: list[int] = field(default_factory=list)
    by_rule: Counter = field(default_factory=Counter)

    def add(self, path: str, width: int, language: str, rules: list[str]) -> None:
        self.pages.add(path)
        self.checks += 1
        if language not in self.languages:
            self.languages.append(language)
        if width not in self.widths:
            self.widths.append(width)
        self.by_rule.update(rules)

    def as_dict(self, on: date | None = None) -> dict:
        return {
            "checked_on": (on or date.today()).isoformat(),
            "tool": f"axe-core {self.version}",
            "standard": STANDARD,
            "pages": len(self.pages),
            "checks": self.checks,
            "languages": self.languages,
            "widths": sorted(self.widths, reverse=True),
            "violations": sum(self.by_rule.values()),
            "by_rule": dict(sorted(self.by_rule.items())),
        }

    def write(self, target: str | Path) -> None:
        Path(target).write_text(json.dumps(self.as_dict(), indent=2) + "\n", encoding="utf-8")


def excluded(path: str, rule: str) -> bool:
    return any(path.startswith(prefix) and rule == id_ for prefix, id_ in EXCLUDED)


def axe_check(
    page, where: str, path: str, record: AxeRecord, *, width: int, language: str
) -> list[str]:
    """Run axe on what `page` shows now; return its violations as lines of a report.

    `where` names the page, its reader, width and language in the report; `path` is the page
    counted in the record. A violation is one rule broken on one page, however many elements
    break it.
    """
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(axe_source())
    result = page.evaluate(RUN, list(TAGS))
    record.version = result["version"]
    found = [rule for rule in result["violations"] if not excluded(path, rule["id"])]
    record.add(path, width, language, [rule["id"] for rule in found])
    lines = []
    for rule in found:
        targets = rule["targets"]
        shown = ", ".join(targets[:SHOWN]) + (" …" if len(targets) > SHOWN else "")
        lines.append(
            f"{where}: {rule['id']} [{rule['impact']}] {rule['help']}; "
            f"{len(targets)} element(s): {shown}"
        )
    return lines
