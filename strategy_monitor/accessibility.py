"""The accessibility statement: how far the application meets WCAG 2.1 AA, and whom to tell.

Danish public bodies publish their statement (tilgængelighedserklæring) with the Agency for
Digital Government's own tool; this page holds what that statement needs and links to it. The
results of the last automated check are read from `accessibility_check.json` beside this module,
which the automated accessibility walk writes. Without that file the page says that no check has
been recorded: a claim that was not checked is not made.
"""

import datetime
import json
import logging
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

logger = logging.getLogger(__name__)

CHECK_FILE = Path(__file__).with_name("accessibility_check.json")


@dataclass(frozen=True)
class AccessibilityCheck:
    """The results of one automated accessibility check of the application's pages."""

    checked_on: datetime.date
    tool: str
    standard: str
    pages: int
    checks: int
    violations: int
    languages: list[str] = field(default_factory=list)
    widths: list[int] = field(default_factory=list)
    by_rule: dict[str, int] = field(default_factory=dict)

    @property
    def rules_failed(self) -> list[tuple[str, int]]:
        """Return (rule, violations) for every rule that failed, most violations first."""
        return sorted(self.by_rule.items(), key=lambda item: (-item[1], item[0]))


def accessibility_check_read(path: Path | None = None) -> AccessibilityCheck | None:
    """Return the last recorded automated check, or None when none is recorded or readable."""
    path = path or CHECK_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError):
        logger.warning("The accessibility check file %s could not be read.", path)
        return None
    try:
        by_rule = {str(rule): int(count) for rule, count in (data.get("by_rule") or {}).items()}
        return AccessibilityCheck(
            checked_on=datetime.date.fromisoformat(data["checked_on"]),
            tool=str(data["tool"]),
            standard=str(data["standard"]),
            pages=int(data["pages"]),
            checks=int(data["checks"]),
            violations=int(data["violations"]),
            languages=[str(code) for code in data.get("languages") or []],
            widths=[int(width) for width in data.get("widths") or []],
            by_rule={rule: count for rule, count in by_rule.items() if count},
        )
    except (AttributeError, KeyError, TypeError, ValueError):
        logger.warning("The accessibility check file %s is not in the expected form.", path)
        return None


class AccessibilityStatementView(TemplateView):
    """Show the accessibility statement, to anyone: it must be readable without an account."""

    template_name = "accessibility.html"

    def get_context_data(self, **kwargs):
        check = accessibility_check_read()
        names = {"en-gb": _("English"), "en": _("English"), "da": _("Danish")}
        return {
            **super().get_context_data(**kwargs),
            "check": check,
            "check_languages": [names.get(code, code) for code in check.languages] if check else [],
            "contact_email": settings.ACCESSIBILITY_CONTACT,
            "statement_url": settings.ACCESSIBILITY_STATEMENT_URL,
        }


accessibility_statement = login_not_required(AccessibilityStatementView.as_view())
